package io.trainsight.gpu;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Set;

/** One GPU in one sample: an immutable copy, for the CLI, JSON and tests. */
public final class GpuSample {

    private static final int METRICS = GpuMetric.values().length;

    private final DeviceInfo device;
    private final boolean lost;
    private final long[] values;

    GpuSample(DeviceInfo device, boolean lost, SampleView view) {
        this.device = device;
        this.lost = lost;
        this.values = new long[METRICS];
        for (GpuMetric metric : GpuMetric.values()) {
            values[metric.ordinal()] = view.gpu(device.index(), metric);
        }
    }

    /**
     * Returns the GPU.
     *
     * @return its index, name and UUID
     */
    public DeviceInfo device() {
        return device;
    }

    /**
     * Tells whether the GPU is lost (no longer sampled; every metric absent).
     *
     * @return whether it is lost
     */
    public boolean lost() {
        return lost;
    }

    /**
     * Returns a metric in its stored unit.
     *
     * @param metric the metric
     * @return the value, or empty when it was not sampled
     */
    public OptionalLong get(GpuMetric metric) {
        long value = values[metric.ordinal()];
        return value == SampleRing.ABSENT ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /**
     * Returns the active throttle reasons.
     *
     * @return the reasons; empty when none is active or the GPU does not report them
     */
    public Set<ThrottleReason> throttleReasons() {
        return ThrottleReason.decode(get(GpuMetric.THROTTLE_REASONS).orElse(0));
    }

    @Override
    public String toString() {
        return "GpuSample[" + device + ", lost=" + lost + ", " + Arrays.toString(values) + "]";
    }
}
