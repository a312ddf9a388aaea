package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;

/**
 * One NVIDIA GPU's samples, in NVML's units converted to percent, bytes, watts and MHz. Memory is
 * the process's own (NVML's per-process {@code usedGpuMemory} for this PID) where the process is
 * among the GPU's compute processes, else the device-wide used memory (every process; a container
 * shows host PIDs, so its own PID is never listed); the ceiling is the usable memory, total less
 * what the driver reserves. With an old driver's {@code nvmlMemory_t} (no reserved figure), the
 * device-wide used memory includes the reserved memory and the ceiling is the total, so the two
 * still compare like with like.
 */
public final class GpuChannel implements SampleChannel {

    private final DeviceInfo device;
    private final int cudaOrdinal;

    /**
     * Creates the channel of a GPU.
     *
     * @param device the GPU, as the monitor lists it
     */
    public GpuChannel(DeviceInfo device) {
        this(device, -1);
    }

    /**
     * Creates the channel of a GPU the run trains on.
     *
     * @param device the GPU, as the monitor lists it
     * @param cudaOrdinal the CUDA device ordinal the run knows it by, or -1 when unknown
     */
    public GpuChannel(DeviceInfo device, int cudaOrdinal) {
        this.device = device;
        this.cudaOrdinal = cudaOrdinal;
    }

    @Override
    public String id() {
        return "gpu" + device.index();
    }

    @Override
    public String describe() {
        return device.name()
                + " (GPU "
                + device.index()
                + (cudaOrdinal < 0 ? "" : ", cuda:" + cudaOrdinal)
                + ")";
    }

    @Override
    public boolean isHost() {
        return false;
    }

    private long get(SampleView sample, GpuMetric metric) {
        return sample.gpu(device.index(), metric);
    }

    /** The metric's value, or {@code absent} when the sample lacks it. */
    private long get(SampleView sample, GpuMetric metric, long absent) {
        long value = get(sample, metric);
        return value == SampleRing.ABSENT ? absent : value;
    }

    /** The metric's value divided by {@code unit}, or NaN when the sample lacks it. */
    private double measure(SampleView sample, GpuMetric metric, double unit) {
        long value = get(sample, metric);
        return value == SampleRing.ABSENT ? Double.NaN : value / unit;
    }

    @Override
    public double utilization(SampleView sample) {
        return measure(sample, GpuMetric.UTILIZATION_GPU, 1);
    }

    @Override
    public long memoryUsed(SampleView sample) {
        long own = get(sample, GpuMetric.PROCESS_MEMORY);
        if (own != SampleRing.ABSENT) {
            return own;
        }
        return get(sample, GpuMetric.MEMORY_USED, -1);
    }

    @Override
    public boolean processMemory(SampleView sample) {
        return get(sample, GpuMetric.PROCESS_MEMORY) != SampleRing.ABSENT;
    }

    @Override
    public long otherMemory(SampleView sample) {
        return get(sample, GpuMetric.OTHER_PROCESSES_MEMORY, -1);
    }

    @Override
    public double otherUtilization(SampleView sample) {
        return measure(sample, GpuMetric.OTHER_PROCESSES_SM, 1);
    }

    @Override
    public long memoryCapacity(SampleView sample) {
        long total = get(sample, GpuMetric.MEMORY_TOTAL);
        if (total == SampleRing.ABSENT) {
            return -1;
        }
        long reserved = get(sample, GpuMetric.MEMORY_RESERVED);
        return reserved == SampleRing.ABSENT ? total : total - reserved;
    }

    @Override
    public double powerWatts(SampleView sample) {
        return measure(sample, GpuMetric.POWER_USAGE, 1000.0);
    }

    @Override
    public long energyMillijoules(SampleView sample) {
        return get(sample, GpuMetric.ENERGY, -1);
    }

    @Override
    public double smClockMhz(SampleView sample) {
        return measure(sample, GpuMetric.CLOCK_SM, 1);
    }

    @Override
    public long throttleMask(SampleView sample) {
        return get(sample, GpuMetric.THROTTLE_REASONS, 0);
    }
}
