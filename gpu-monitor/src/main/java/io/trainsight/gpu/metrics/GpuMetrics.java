package io.trainsight.gpu.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.ThrottleReason;
import java.util.List;

/**
 * Publishes a {@link GpuMonitor}'s latest sample as Micrometer meters, in base units: per GPU
 * (tagged {@code gpu.index}, {@code gpu.uuid}, {@code gpu.name}) one meter per {@link GpuMetric},
 * named, described and scaled as that table says ({@code gpu.energy} is a counter, {@code
 * gpu.throttle.active} a gauge per {@code reason}); and for the host what Micrometer's own binders
 * lack: {@code host.process.memory.rss}, {@code host.memory.used} and {@code host.memory.total}. A
 * value not sampled reads NaN. Reading a meter takes no lock and allocates nothing.
 *
 * <p>The JVM's and the process's numbers (heap, GC, threads, CPU) come from Micrometer's own
 * binders ({@code JvmMemoryMetrics}, {@code ProcessorMetrics} ...), which this binder does not
 * repeat: bind them to your registry as you would in any application (the exporter's own registry
 * has them).
 *
 * <p>The meters hold the monitor weakly, as Micrometer's gauges do: keep the monitor referenced.
 */
public final class GpuMetrics implements MeterBinder {

    /** The host's meters: what Micrometer's binders do not publish. */
    private static final List<HostMeter> HOST =
            List.of(
                    new HostMeter(
                            "host.process.memory.rss",
                            HostMetric.PROCESS_RSS,
                            "Resident set size of this process"),
                    new HostMeter(
                            "host.memory.used",
                            HostMetric.SYSTEM_MEMORY_USED,
                            "Memory in use on the machine (total less available)"),
                    new HostMeter(
                            "host.memory.total",
                            HostMetric.SYSTEM_MEMORY_TOTAL,
                            "Memory of the machine"));

    private final GpuMonitor monitor;
    private final Iterable<Tag> tags;

    /**
     * Creates the binder.
     *
     * @param monitor the monitor whose samples to publish
     */
    public GpuMetrics(GpuMonitor monitor) {
        this(monitor, List.of());
    }

    /**
     * Creates the binder with extra tags on every meter.
     *
     * @param monitor the monitor whose samples to publish
     * @param tags tags added to every meter
     */
    public GpuMetrics(GpuMonitor monitor, Iterable<Tag> tags) {
        this.monitor = monitor;
        this.tags = tags;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (DeviceInfo device : monitor.devices()) {
            Tags gpu =
                    Tags.of(tags)
                            .and("gpu.index", Integer.toString(device.index()))
                            .and("gpu.uuid", device.uuid())
                            .and("gpu.name", device.name());
            for (GpuMetric metric : GpuMetric.values()) {
                bind(registry, gpu, device.index(), metric);
            }
        }
        for (HostMeter meter : HOST) {
            Gauge.builder(meter.name, monitor, m -> host(m, meter.metric))
                    .tags(Tags.of(tags))
                    .baseUnit(BaseUnits.BYTES)
                    .description(meter.description)
                    .register(registry);
        }
    }

    private void bind(MeterRegistry registry, Tags gpu, int index, GpuMetric metric) {
        if (metric == GpuMetric.THROTTLE_REASONS) {
            for (ThrottleReason reason : ThrottleReason.values()) {
                Gauge.builder(
                                metric.meterName(),
                                monitor,
                                m -> active(m.ring().latestGpu(index, metric), reason))
                        .tags(gpu.and("reason", reason.nvmlName()))
                        .description(metric.description())
                        .register(registry);
            }
        } else if (metric == GpuMetric.ENERGY) {
            FunctionCounter.builder(metric.meterName(), monitor, m -> gpu(m, index, metric))
                    .tags(gpu)
                    .baseUnit(metric.baseUnit())
                    .description(metric.description())
                    .register(registry);
        } else {
            Gauge.builder(metric.meterName(), monitor, m -> gpu(m, index, metric))
                    .tags(gpu)
                    .baseUnit(metric.baseUnit())
                    .description(metric.description())
                    .register(registry);
        }
    }

    private static double gpu(GpuMonitor monitor, int index, GpuMetric metric) {
        long value = monitor.ring().latestGpu(index, metric);
        return value == SampleRing.ABSENT ? Double.NaN : metric.toBaseUnit(value);
    }

    private static double host(GpuMonitor monitor, HostMetric metric) {
        long value = monitor.ring().latestHost(metric);
        return value == SampleRing.ABSENT ? Double.NaN : metric.toUnit(value);
    }

    private static double active(long mask, ThrottleReason reason) {
        return mask == SampleRing.ABSENT ? Double.NaN : reason.isActiveIn(mask) ? 1 : 0;
    }

    private record HostMeter(String name, HostMetric metric, String description) {}
}
