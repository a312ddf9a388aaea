package io.trainsight.gpu;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The host in one sample: an immutable copy. */
public final class HostSample {

    private final long[] values = new long[HostMetric.values().length];

    HostSample(SampleView view) {
        for (HostMetric metric : HostMetric.values()) {
            values[metric.ordinal()] = view.host(metric);
        }
    }

    /**
     * Returns a metric as stored (percentages in thousandths, see {@link HostMetric#scale()}).
     *
     * @param metric the metric
     * @return the stored value, or empty when it was not sampled
     */
    public OptionalLong get(HostMetric metric) {
        long value = values[metric.ordinal()];
        return value == SampleRing.ABSENT ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /**
     * Returns a metric in its unit.
     *
     * @param metric the metric
     * @return the value in {@link HostMetric#unit()}, or empty when it was not sampled
     */
    public OptionalDouble value(HostMetric metric) {
        long value = values[metric.ordinal()];
        return value == SampleRing.ABSENT
                ? OptionalDouble.empty()
                : OptionalDouble.of(metric.toUnit(value));
    }
}
