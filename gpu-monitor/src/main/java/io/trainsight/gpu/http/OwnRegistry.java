package io.trainsight.gpu.http;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.metrics.GpuMetrics;

/**
 * The registry an exporter makes when the application gives it none: the monitor's meters ({@link
 * GpuMetrics}) and Micrometer's own binders for the JVM and the process (memory pools, GC, threads,
 * class loading, CPU, uptime, file descriptors), as any Micrometer application publishes them.
 * Closing it stops the GC binder's listeners.
 *
 * <p>This class and {@link ExporterRoutes} are the only ones that name Prometheus types; {@link
 * GpuExporter} checks that they can be loaded before it touches either.
 */
final class OwnRegistry implements AutoCloseable {

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    OwnRegistry(GpuMonitor monitor) {
        new GpuMetrics(monitor).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
