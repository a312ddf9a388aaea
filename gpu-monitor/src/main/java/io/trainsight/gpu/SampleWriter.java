package io.trainsight.gpu;

/**
 * Where a {@link Probe} writes one tick's values: straight into the ring's columns. Given to the
 * probe by the sampler for the duration of {@link Probe#sample}; a value not written stays {@link
 * SampleRing#ABSENT}.
 */
public final class SampleWriter {

    private final SampleRing ring;
    private int slot;
    private int firstGpu;

    SampleWriter(SampleRing ring) {
        this.ring = ring;
    }

    void target(int slot, int firstGpu) {
        this.slot = slot;
        this.firstGpu = firstGpu;
    }

    /**
     * Writes a GPU metric.
     *
     * @param device the GPU's index among the probe's own devices
     * @param metric the metric
     * @param value the value in the metric's unit
     */
    public void gpu(int device, GpuMetric metric, long value) {
        ring.putGpu(slot, firstGpu + device, metric, value);
    }

    /**
     * Writes a host metric.
     *
     * @param metric the metric
     * @param value the value in the metric's stored unit (see {@link HostMetric#scale()})
     */
    public void host(HostMetric metric, long value) {
        ring.putHost(slot, metric, value);
    }
}
