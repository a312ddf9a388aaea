package io.trainsight.insight.correlate;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;

/** One NVIDIA GPU's samples, in NVML's units converted to percent, bytes, watts and MHz. */
public final class GpuChannel implements SampleChannel {

    private final DeviceInfo device;

    /**
     * Creates the channel of a GPU.
     *
     * @param device the GPU, as the monitor lists it
     */
    public GpuChannel(DeviceInfo device) {
        this.device = device;
    }

    @Override
    public String id() {
        return "gpu" + device.index();
    }

    @Override
    public String describe() {
        return device.name() + " (GPU " + device.index() + ")";
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
        long value = get(sample, GpuMetric.MEMORY_USED);
        return value == SampleRing.ABSENT ? -1 : value;
    }

    @Override
    public long memoryCapacity(SampleView sample) {
        long value = get(sample, GpuMetric.MEMORY_TOTAL);
        return value == SampleRing.ABSENT ? -1 : value;
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
