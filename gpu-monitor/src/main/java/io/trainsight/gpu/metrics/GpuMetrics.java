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
 * (tagged {@code gpu.index}, {@code gpu.uuid}, {@code gpu.name}) {@code gpu.utilization}, {@code
 * gpu.memory.*}, {@code gpu.temperature}, {@code gpu.power.*}, {@code gpu.energy} (a counter),
 * {@code gpu.clock.*}, {@code gpu.pcie.*} and {@code gpu.throttle.active} (tagged {@code reason});
 * and {@code host.*} for the host. A value not sampled reads NaN. Reading a meter takes no lock and
 * allocates nothing.
 *
 * <p>The meters hold the monitor weakly, as Micrometer's gauges do: keep the monitor referenced.
 */
public final class GpuMetrics implements MeterBinder {

    private static final String CELSIUS = "celsius";
    private static final String WATTS = "watts";
    private static final String JOULES = "joules";
    private static final String HERTZ = "hertz";
    private static final String BYTES_PER_SECOND = "bytes.per.second";
    private static final double MILLI = 1e-3;
    private static final double MEGA = 1e6;
    private static final double KIBI = 1024;

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
            bindGpu(registry, device);
        }
        Tags common = Tags.of(tags);
        host(
                registry,
                common,
                "host.process.cpu.usage",
                HostMetric.PROCESS_CPU,
                BaseUnits.PERCENT,
                "CPU used by this process, percent of one core");
        host(
                registry,
                common,
                "host.process.memory.rss",
                HostMetric.PROCESS_RSS,
                BaseUnits.BYTES,
                "Resident set size of this process");
        host(
                registry,
                common,
                "host.cpu.usage",
                HostMetric.SYSTEM_CPU,
                BaseUnits.PERCENT,
                "CPU busy on the whole machine, percent of all cores");
        host(
                registry,
                common,
                "host.memory.used",
                HostMetric.SYSTEM_MEMORY_USED,
                BaseUnits.BYTES,
                "Memory in use on the machine (total less available)");
        host(
                registry,
                common,
                "host.memory.total",
                HostMetric.SYSTEM_MEMORY_TOTAL,
                BaseUnits.BYTES,
                "Memory of the machine");
        host(
                registry,
                common,
                "host.jvm.heap.used",
                HostMetric.JVM_HEAP_USED,
                BaseUnits.BYTES,
                "Java heap in use");
        host(
                registry,
                common,
                "host.jvm.heap.committed",
                HostMetric.JVM_HEAP_COMMITTED,
                BaseUnits.BYTES,
                "Java heap committed");
        host(
                registry,
                common,
                "host.jvm.heap.max",
                HostMetric.JVM_HEAP_MAX,
                BaseUnits.BYTES,
                "The largest the Java heap may grow");
    }

    private void bindGpu(MeterRegistry registry, DeviceInfo device) {
        Tags gpu =
                Tags.of(tags)
                        .and("gpu.index", Integer.toString(device.index()))
                        .and("gpu.uuid", device.uuid())
                        .and("gpu.name", device.name());
        int index = device.index();
        gauge(
                registry,
                gpu,
                index,
                "gpu.utilization",
                GpuMetric.UTILIZATION_GPU,
                1,
                BaseUnits.PERCENT,
                "Percent of the last sample period in which a kernel ran");
        gauge(
                registry,
                gpu,
                index,
                "gpu.memory.utilization",
                GpuMetric.UTILIZATION_MEMORY,
                1,
                BaseUnits.PERCENT,
                "Percent of the last sample period in which memory was read or written");
        gauge(
                registry,
                gpu,
                index,
                "gpu.memory.used",
                GpuMetric.MEMORY_USED,
                1,
                BaseUnits.BYTES,
                "Device memory in use");
        gauge(
                registry,
                gpu,
                index,
                "gpu.memory.free",
                GpuMetric.MEMORY_FREE,
                1,
                BaseUnits.BYTES,
                "Device memory free");
        gauge(
                registry,
                gpu,
                index,
                "gpu.memory.reserved",
                GpuMetric.MEMORY_RESERVED,
                1,
                BaseUnits.BYTES,
                "Device memory the driver reserves");
        gauge(
                registry,
                gpu,
                index,
                "gpu.memory.total",
                GpuMetric.MEMORY_TOTAL,
                1,
                BaseUnits.BYTES,
                "Device memory in all");
        gauge(
                registry,
                gpu,
                index,
                "gpu.temperature",
                GpuMetric.TEMPERATURE,
                1,
                CELSIUS,
                "GPU temperature");
        gauge(
                registry,
                gpu,
                index,
                "gpu.power.usage",
                GpuMetric.POWER_USAGE,
                MILLI,
                WATTS,
                "Power draw (a 1 s average on Ampere and newer)");
        gauge(
                registry,
                gpu,
                index,
                "gpu.power.limit",
                GpuMetric.POWER_LIMIT,
                MILLI,
                WATTS,
                "Enforced power limit");
        gauge(
                registry,
                gpu,
                index,
                "gpu.clock.sm",
                GpuMetric.CLOCK_SM,
                MEGA,
                HERTZ,
                "Current SM clock");
        gauge(
                registry,
                gpu,
                index,
                "gpu.clock.sm.max",
                GpuMetric.CLOCK_SM_MAX,
                MEGA,
                HERTZ,
                "Maximum SM clock");
        gauge(
                registry,
                gpu,
                index,
                "gpu.clock.memory",
                GpuMetric.CLOCK_MEMORY,
                MEGA,
                HERTZ,
                "Current memory clock");
        gauge(
                registry,
                gpu,
                index,
                "gpu.clock.memory.max",
                GpuMetric.CLOCK_MEMORY_MAX,
                MEGA,
                HERTZ,
                "Maximum memory clock");
        gauge(
                registry,
                gpu,
                index,
                "gpu.pcie.tx",
                GpuMetric.PCIE_TX,
                KIBI,
                BYTES_PER_SECOND,
                "PCIe transmit throughput");
        gauge(
                registry,
                gpu,
                index,
                "gpu.pcie.rx",
                GpuMetric.PCIE_RX,
                KIBI,
                BYTES_PER_SECOND,
                "PCIe receive throughput");
        FunctionCounter.builder(
                        "gpu.energy",
                        monitor,
                        m -> scaled(m.ring().latestGpu(index, GpuMetric.ENERGY), MILLI))
                .tags(gpu)
                .baseUnit(JOULES)
                .description("Energy used since the driver was loaded (Volta and newer)")
                .register(registry);
        for (ThrottleReason reason : ThrottleReason.values()) {
            Gauge.builder(
                            "gpu.throttle.active",
                            monitor,
                            m ->
                                    active(
                                            m.ring().latestGpu(index, GpuMetric.THROTTLE_REASONS),
                                            reason))
                    .tags(gpu.and("reason", reason.nvmlName()))
                    .description("1 while the clock-event (throttle) reason is active, else 0")
                    .register(registry);
        }
    }

    private void gauge(
            MeterRegistry registry,
            Tags gpu,
            int index,
            String name,
            GpuMetric metric,
            double scale,
            String unit,
            String description) {
        Gauge.builder(name, monitor, m -> scaled(m.ring().latestGpu(index, metric), scale))
                .tags(gpu)
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }

    private void host(
            MeterRegistry registry,
            Tags common,
            String name,
            HostMetric metric,
            String unit,
            String description) {
        Gauge.builder(
                        name,
                        monitor,
                        m -> {
                            long value = m.ring().latestHost(metric);
                            return value == SampleRing.ABSENT ? Double.NaN : metric.toUnit(value);
                        })
                .tags(common)
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }

    private static double scaled(long value, double scale) {
        return value == SampleRing.ABSENT ? Double.NaN : value * scale;
    }

    private static double active(long mask, ThrottleReason reason) {
        return mask == SampleRing.ABSENT ? Double.NaN : reason.isActiveIn(mask) ? 1 : 0;
    }
}
