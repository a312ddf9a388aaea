package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;

/**
 * The host standing in for a GPU: this process's CPU share of the cores it may use in place of GPU
 * utilisation, and its resident memory against a memory limit in place of device memory. It has no
 * power, energy, clock or throttle readings.
 */
public final class HostChannel implements SampleChannel {

    private final int cores;
    private final MemoryLimit limit;

    /**
     * Creates the host's channel.
     *
     * @param cores the cores the process may use; the process's CPU percent of one core is divided
     *     by it, so 100 means every core busy
     * @param limit the memory ceiling, or null to take the machine's memory from each sample
     */
    public HostChannel(int cores, MemoryLimit limit) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        }
        this.cores = cores;
        this.limit = limit;
    }

    /**
     * Returns the cores the CPU share is divided by.
     *
     * @return the number of cores
     */
    public int cores() {
        return cores;
    }

    /**
     * Returns the memory limit in force.
     *
     * @return the limit, or null when the machine's memory is the ceiling
     */
    public MemoryLimit limit() {
        return limit;
    }

    @Override
    public String id() {
        return "host";
    }

    @Override
    public String describe() {
        return "host (no GPU): process CPU of "
                + cores
                + " core(s) for utilisation, resident memory against "
                + (limit == null ? "the machine's memory" : limit.describe());
    }

    @Override
    public boolean isHost() {
        return true;
    }

    @Override
    public double utilization(SampleView sample) {
        long value = sample.host(HostMetric.PROCESS_CPU);
        return value == SampleRing.ABSENT
                ? Double.NaN
                : Math.min(100.0, HostMetric.PROCESS_CPU.toUnit(value) / cores);
    }

    @Override
    public long memoryUsed(SampleView sample) {
        long value = sample.host(HostMetric.PROCESS_RSS);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public long memoryCapacity(SampleView sample) {
        if (limit != null) {
            return limit.bytes();
        }
        long value = sample.host(HostMetric.SYSTEM_MEMORY_TOTAL);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public double powerWatts(SampleView sample) {
        return Double.NaN;
    }

    @Override
    public long energyMillijoules(SampleView sample) {
        return -1;
    }

    @Override
    public double smClockMhz(SampleView sample) {
        return Double.NaN;
    }

    @Override
    public long throttleMask(SampleView sample) {
        return 0;
    }
}
