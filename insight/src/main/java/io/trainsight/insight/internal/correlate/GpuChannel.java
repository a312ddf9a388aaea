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

    @Override
    public double utilization(SampleView sample) {
        long value = get(sample, GpuMetric.UTILIZATION_GPU);
        return value == SampleRing.ABSENT ? Double.NaN : value;
    }

    @Override
    public long memoryUsed(SampleView sample) {
        long own = get(sample, GpuMetric.PROCESS_MEMORY);
        if (own != SampleRing.ABSENT) {
            return own;
        }
        long value = get(sample, GpuMetric.MEMORY_USED);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public boolean processMemory(SampleView sample) {
        return get(sample, GpuMetric.PROCESS_MEMORY) != SampleRing.ABSENT;
    }

    @Override
    public long otherMemory(SampleView sample) {
        long value = get(sample, GpuMetric.OTHER_PROCESSES_MEMORY);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public double otherUtilization(SampleView sample) {
        long value = get(sample, GpuMetric.OTHER_PROCESSES_SM);
        return value == SampleRing.ABSENT ? Double.NaN : value;
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
        long value = get(sample, GpuMetric.POWER_USAGE);
        return value == SampleRing.ABSENT ? Double.NaN : value / 1000.0;
    }

    @Override
    public long energyMillijoules(SampleView sample) {
        long value = get(sample, GpuMetric.ENERGY);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public double smClockMhz(SampleView sample) {
        long value = get(sample, GpuMetric.CLOCK_SM);
        return value == SampleRing.ABSENT ? Double.NaN : value;
    }

    @Override
    public long throttleMask(SampleView sample) {
        long value = get(sample, GpuMetric.THROTTLE_REASONS);
        return value == SampleRing.ABSENT ? 0 : value;
    }
}
