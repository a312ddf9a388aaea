package io.trainsight.gpu;

/**
 * A reusable, mutable copy of one sample, filled by {@link SampleRing#read}; reading into the same
 * view again allocates nothing. Not thread-safe: one view per reading thread.
 */
public final class SampleView {

    private static final int GPU_METRICS = GpuMetric.values().length;

    long sequence = -1;
    long nanoTime;
    long tickNanos;
    final long[] gpu;
    final long[] host = new long[HostMetric.values().length];
    private final int gpuCount;

    SampleView(int gpuCount) {
        this.gpuCount = gpuCount;
        this.gpu = new long[gpuCount * GPU_METRICS];
    }

    /**
     * Returns the sequence of the sample held.
     *
     * @return the sequence, or -1 before the first read
     */
    public long sequence() {
        return sequence;
    }

    /**
     * Returns when the tick started.
     *
     * @return a {@code System.nanoTime()} value
     */
    public long nanoTime() {
        return nanoTime;
    }

    /**
     * Returns how long the tick took, all probes together.
     *
     * @return nanoseconds
     */
    public long tickNanos() {
        return tickNanos;
    }

    /**
     * Returns the number of GPUs in the sample.
     *
     * @return the GPU count
     */
    public int gpuCount() {
        return gpuCount;
    }

    /**
     * Returns a GPU metric.
     *
     * @param index the GPU's index
     * @param metric the metric
     * @return the stored value or {@link SampleRing#ABSENT}
     */
    public long gpu(int index, GpuMetric metric) {
        return gpu[index * GPU_METRICS + metric.ordinal()];
    }

    /**
     * Returns a host metric.
     *
     * @param metric the metric
     * @return the stored value or {@link SampleRing#ABSENT}
     */
    public long host(HostMetric metric) {
        return host[metric.ordinal()];
    }
}
