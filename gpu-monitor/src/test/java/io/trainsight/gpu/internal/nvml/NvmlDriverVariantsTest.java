package io.trainsight.gpu.internal.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuSample;
import io.trainsight.gpu.MonitorEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drivers around the deprecation of {@code nvmlDeviceGetTemperature} (NVML 13): a library without
 * it still gives every metric, the temperature through {@code nvmlDeviceGetTemperatureV}; one with
 * neither call loses the temperature only. And NVML's newest error code is named.
 */
class NvmlDriverVariantsTest {

    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    private GpuMonitor monitor;

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    private GpuSample sampleOf(FakeNvml.Variant variant) {
        FakeNvml fake =
                FakeNvml.load(variant)
                        .devices(1)
                        .set(0, "util_gpu", 63)
                        .set(0, "mem_total", 80L << 30)
                        .set(0, "mem_used", 10L << 30)
                        .set(0, "temperature", 57)
                        .set(0, "power", 250_000)
                        .set(0, "clock_sm", 1800);
        NvmlProbe probe =
                NvmlProbe.open(Optional.of(fake.path().toString()), Duration.ZERO, events::add);
        monitor = GpuMonitor.builder().addProbe(probe).addListener(events::add).build();
        monitor.sampleNow();
        return monitor.latest().orElseThrow().gpus().get(0);
    }

    @Test
    void aDriverWithoutTheDeprecatedTemperatureCallReadsItThroughTemperatureV() {
        GpuSample gpu = sampleOf(FakeNvml.Variant.NVML13);

        assertThat(gpu.get(GpuMetric.TEMPERATURE)).hasValue(57);
        assertThat(gpu.get(GpuMetric.UTILIZATION_GPU)).hasValue(63);
        assertThat(gpu.get(GpuMetric.POWER_USAGE)).hasValue(250_000);
        assertThat(events).isEmpty();
    }

    @Test
    void aDriverWithNeitherTemperatureCallLosesTheTemperatureOnly() {
        GpuSample gpu = sampleOf(FakeNvml.Variant.NO_TEMPERATURE);

        assertThat(gpu.get(GpuMetric.TEMPERATURE)).isEmpty();
        assertThat(gpu.get(GpuMetric.UTILIZATION_GPU)).hasValue(63);
        assertThat(gpu.get(GpuMetric.MEMORY_USED)).hasValue(10L << 30);
        assertThat(gpu.get(GpuMetric.POWER_USAGE)).hasValue(250_000);
        assertThat(gpu.get(GpuMetric.CLOCK_SM)).hasValue(1800);
        assertThat(events)
                .singleElement()
                .isInstanceOfSatisfying(
                        MonitorEvent.MetricNotSupported.class,
                        e -> assertThat(e.metric()).isEqualTo("nvmlDeviceGetTemperature"));
    }

    @Test
    void theCurrentDriverPrefersTemperatureV() {
        FakeNvml fake =
                FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1).set(0, "temperature", 44);
        NvmlProbe probe =
                NvmlProbe.open(Optional.of(fake.path().toString()), Duration.ZERO, events::add);
        monitor = GpuMonitor.builder().addProbe(probe).build();
        monitor.sampleNow();

        assertThat(monitor.latest().orElseThrow().gpus().get(0).get(GpuMetric.TEMPERATURE))
                .hasValue(44);
        assertThat(fake.calls("temperature_v")).isEqualTo(1);
        assertThat(fake.calls("temperature")).isZero();
    }

    @Test
    void errorCode30IsNamed() {
        assertThat(NvmlError.of(30)).isEqualTo(NvmlError.RESET_TYPE_NOT_SUPPORTED);
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        fake.fail("utilization", 0, 30);
        NvmlProbe probe =
                NvmlProbe.open(Optional.of(fake.path().toString()), Duration.ZERO, events::add);
        monitor = GpuMonitor.builder().addProbe(probe).addListener(events::add).build();
        monitor.sampleNow();

        assertThat(events)
                .containsExactly(
                        new MonitorEvent.MetricFailed(
                                0, "nvmlDeviceGetUtilizationRates", "Reset Type Not Supported"));
    }
}
