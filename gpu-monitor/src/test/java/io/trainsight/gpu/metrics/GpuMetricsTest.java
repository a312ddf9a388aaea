package io.trainsight.gpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.Probe;
import io.trainsight.gpu.SampleWriter;
import io.trainsight.gpu.ThrottleReason;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters' names, units, tags and values, read from a scripted sample. */
class GpuMetricsTest {

    /** One GPU with NVML-unit values, and the host. */
    private static final class OneGpu implements Probe {
        @Override
        public List<DeviceInfo> devices() {
            return List.of(new DeviceInfo(0, "Fake H100", "GPU-1234"));
        }

        @Override
        public void sample(SampleWriter out) {
            out.gpu(0, GpuMetric.UTILIZATION_GPU, 87);
            out.gpu(0, GpuMetric.MEMORY_USED, 40L << 30);
            out.gpu(0, GpuMetric.MEMORY_TOTAL, 80L << 30);
            out.gpu(0, GpuMetric.TEMPERATURE, 66);
            out.gpu(0, GpuMetric.POWER_USAGE, 312_500);
            out.gpu(0, GpuMetric.ENERGY, 1_234_567);
            out.gpu(0, GpuMetric.CLOCK_SM, 1980);
            out.gpu(0, GpuMetric.PCIE_TX, 2);
            out.gpu(0, GpuMetric.THROTTLE_REASONS, 0x4 | 0x1);
            out.host(HostMetric.PROCESS_CPU, 150_500);
            out.host(HostMetric.PROCESS_RSS, 3L << 29);
            out.host(HostMetric.JVM_HEAP_USED, 1L << 28);
            out.host(HostMetric.SYSTEM_MEMORY_TOTAL, 1L << 34);
        }

        @Override
        public void close() {}
    }

    @Test
    void everyGpuMetricIsOneMeterPerGpuNamedDescribedAndInItsBaseUnitAsTheTableSays() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GpuMonitor monitor =
                GpuMonitor.builder()
                        .addProbe(new io.trainsight.gpu.ScriptedProbe(2, 1000, false))
                        .build()) {
            new GpuMetrics(monitor).bindTo(registry);
            monitor.sampleNow();
            for (GpuMetric metric : GpuMetric.values()) {
                for (String gpu : new String[] {"0", "1"}) {
                    Collection<Meter> meters =
                            registry.find(metric.meterName()).tag("gpu.index", gpu).meters();
                    int expected =
                            metric == GpuMetric.THROTTLE_REASONS
                                    ? ThrottleReason.values().length
                                    : 1;
                    assertThat(meters).as("%s on GPU %s", metric, gpu).hasSize(expected);
                    for (Meter meter : meters) {
                        assertThat(meter.getId().getDescription()).isEqualTo(metric.description());
                        assertThat(meter.getId().getBaseUnit()).isEqualTo(metric.baseUnit());
                        if (metric != GpuMetric.THROTTLE_REASONS) {
                            double value = meter.measure().iterator().next().getValue();
                            assertThat(value)
                                    .as("%s: the scripted 1000 in the base unit", metric)
                                    .isEqualTo(metric.toBaseUnit(1000));
                        }
                    }
                }
            }
        }
    }

    @Test
    void publishesTheLatestSampleInBaseUnitsWithTheGpusTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(new OneGpu()).build()) {
            new GpuMetrics(monitor, Tags.of("job", "test")).bindTo(registry);
            assertThat(registry.get("gpu.utilization").gauge().value()).isNaN();
            monitor.sampleNow();

            Tags gpu = Tags.of("gpu.index", "0", "gpu.uuid", "GPU-1234", "gpu.name", "Fake H100");
            assertThat(registry.get("gpu.utilization").tags(gpu).tag("job", "test").gauge().value())
                    .isEqualTo(87);
            assertThat(registry.get("gpu.memory.used").gauge().value())
                    .isEqualTo(40.0 * (1L << 30));
            assertThat(registry.get("gpu.memory.total").gauge().value())
                    .isEqualTo(80.0 * (1L << 30));
            assertThat(registry.get("gpu.temperature").gauge().value()).isEqualTo(66);
            assertThat(registry.get("gpu.power.usage").gauge().value()).isEqualTo(312.5);
            assertThat(registry.get("gpu.energy").functionCounter().count()).isEqualTo(1234.567);
            assertThat(registry.get("gpu.clock.sm").gauge().value()).isEqualTo(1.98e9);
            assertThat(registry.get("gpu.pcie.tx").gauge().value()).isEqualTo(2048);
            assertThat(registry.get("gpu.memory.reserved").gauge().value())
                    .as("not sampled")
                    .isNaN();
            assertThat(
                            registry.get("gpu.throttle.active")
                                    .tag("reason", "SwPowerCap")
                                    .gauge()
                                    .value())
                    .isEqualTo(1);
            assertThat(
                            registry.get("gpu.throttle.active")
                                    .tag("reason", "HwSlowdown")
                                    .gauge()
                                    .value())
                    .isZero();
            assertThat(registry.get("host.process.memory.rss").gauge().value()).isEqualTo(3L << 29);
            assertThat(registry.get("host.memory.total").gauge().value()).isEqualTo(1L << 34);
            assertThat(registry.get("host.memory.used").gauge().value()).isNaN();
            assertThat(registry.getMeters())
                    .as("the JVM's and the process's CPU are Micrometer's binders' to publish")
                    .noneMatch(m -> m.getId().getName().startsWith("host.jvm"))
                    .noneMatch(m -> m.getId().getName().contains("cpu"));

            for (Meter meter : registry.getMeters()) {
                Meter.Id id = meter.getId();
                assertThat(id.getDescription()).as(id.getName()).isNotBlank();
                assertThat(id.getName()).matches("[a-z]+(\\.[a-z]+)+");
                if (!id.getName().equals("gpu.throttle.active")) {
                    assertThat(id.getBaseUnit()).as(id.getName()).isNotBlank();
                }
            }
        }
    }
}
