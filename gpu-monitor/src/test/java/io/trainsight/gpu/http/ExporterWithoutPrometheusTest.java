package io.trainsight.gpu.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.ScriptedProbe;
import io.trainsight.gpu.metrics.GpuMetrics;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * gpu-monitor without its optional {@code micrometer-registry-prometheus}, as a library user who
 * only samples has it: the test's class path less the Prometheus jars, in a class loader of its
 * own. Sampling and Micrometer's meters work; building an exporter fails with one line naming the
 * dependency.
 */
class ExporterWithoutPrometheusTest {

    /**
     * Runs in the class loader without Prometheus: samples, binds the meters, builds an exporter.
     */
    public static final class UserCode implements Callable<String> {
        @Override
        public String call() {
            try (GpuMonitor monitor =
                    GpuMonitor.builder().addProbe(new ScriptedProbe(1, 40, true)).build()) {
                monitor.sampleNow();
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                new GpuMetrics(monitor).bindTo(registry);
                double utilization = registry.get("gpu.utilization").gauge().value();
                try {
                    GpuExporter.builder().setMonitor(monitor).build().close();
                    return "built an exporter; utilization " + utilization;
                } catch (IllegalStateException e) {
                    return "utilization " + utilization + "; " + e.getMessage();
                }
            }
        }
    }

    @Test
    void samplingNeedsNoPrometheusAndTheExporterNamesTheMissingDependency() throws Exception {
        List<URL> urls = new ArrayList<>();
        List<String> left = new ArrayList<>();
        String classPath = System.getProperty("surefire.test.class.path");
        if (classPath == null) {
            classPath = System.getProperty("java.class.path");
        }
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("micrometer-registry-prometheus")
                    || name.startsWith("prometheus-metrics")) {
                left.add(name);
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(left).as("the Prometheus jars left out").isNotEmpty();
        try (URLClassLoader loader =
                new URLClassLoader(
                        urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(loader.loadClass(GpuExporter.class.getName()))
                    .isNotSameAs(GpuExporter.class);
            @SuppressWarnings("unchecked")
            Callable<String> user =
                    (Callable<String>)
                            loader.loadClass(UserCode.class.getName())
                                    .getDeclaredConstructor()
                                    .newInstance();
            assertThat(user.call()).isEqualTo("utilization 40.0; " + PrometheusCheck.MISSING);
        }
    }
}
