package io.trainsight.gpu;

import java.util.List;

/**
 * One sample of every GPU and of the host, copied out of the ring.
 *
 * @param sequence the sample's sequence in the ring
 * @param nanoTime when the tick started, {@code System.nanoTime()}
 * @param epochMillis the same moment on the wall clock
 * @param gpus the GPUs, in index order
 * @param host the host
 */
public record Snapshot(
        long sequence, long nanoTime, long epochMillis, List<GpuSample> gpus, HostSample host) {

    /** Copies the lists. */
    public Snapshot {
        gpus = List.copyOf(gpus);
    }
}
