package io.trainsight.gpu.internal.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.MonitorEvent;
import io.trainsight.gpu.Settings;
import io.trainsight.gpu.Snapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How the monitor chooses its probes: NVML where it loads and has GPUs, else the host alone. */
class MonitorDetectionTest {

    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void samplesNvmlAndTheHostWhenTheLibraryLoads() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1).set(0, "util_gpu", 64);
        try (GpuMonitor monitor =
                GpuMonitor.builder().optNvmlLibrary(fake.path().toString()).build()) {
            monitor.sampleNow();
            Snapshot snapshot = monitor.latest().orElseThrow();

            assertThat(monitor.noGpuReason()).isEmpty();
            assertThat(snapshot.gpus().get(0).get(GpuMetric.UTILIZATION_GPU)).hasValue(64);
            assertThat(snapshot.host().get(HostMetric.JVM_HEAP_USED)).isPresent();
        }
        assertThat(fake.initCount()).isZero();
    }

    @Test
    void theSystemPropertyNamesTheLibrary() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(2);
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, fake.path().toString());
        try (GpuMonitor monitor = GpuMonitor.builder().build()) {
            assertThat(monitor.devices()).hasSize(2);
        } finally {
            System.clearProperty(Settings.NVML_LIBRARY_PROPERTY);
        }
    }

    @Test
    void withoutTheLibraryTheHostIsSampledAndSaidOnce() {
        try (GpuMonitor monitor =
                GpuMonitor.builder()
                        .optNvmlLibrary("/nonexistent/libnvidia-ml.so.1")
                        .addListener(events::add)
                        .build()) {
            monitor.sampleNow();

            assertThat(monitor.devices()).isEmpty();
            assertThat(monitor.noGpuReason().orElseThrow())
                    .contains("/nonexistent/libnvidia-ml.so.1 could not be loaded");
            assertThat(events).singleElement().isInstanceOf(MonitorEvent.NoGpu.class);
            assertThat(monitor.latest().orElseThrow().host().get(HostMetric.SYSTEM_MEMORY_TOTAL))
                    .isPresent();
        }
    }

    @Test
    void aDriverThatDoesNotInitialiseMeansTheHostOnly() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        fake.fail("init", -1, FakeNvml.DRIVER_NOT_LOADED);
        try (GpuMonitor monitor =
                GpuMonitor.builder()
                        .optNvmlLibrary(fake.path().toString())
                        .addListener(events::add)
                        .build()) {
            assertThat(monitor.devices()).isEmpty();
            assertThat(events).containsExactly(new MonitorEvent.NoGpu("Driver Not Loaded"));
        }
    }

    @Test
    void nvmlWithoutGpusIsShutDownAndTheHostSampled() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT);
        try (GpuMonitor monitor =
                GpuMonitor.builder().optNvmlLibrary(fake.path().toString()).build()) {
            assertThat(monitor.devices()).isEmpty();
            assertThat(monitor.noGpuReason().orElseThrow()).endsWith("reports no GPU");
            assertThat(fake.initCount()).as("NVML released at once").isZero();
        }
    }
}
