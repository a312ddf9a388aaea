package io.trainsight.gpu;

import java.util.List;
import java.util.Optional;

/**
 * A source of samples: the NVML probe (every NVIDIA GPU), the host probe, or a scripted one in
 * tests. The sampler calls {@link #sample} from its own thread once per tick; the other methods may
 * be called from any thread.
 */
public interface Probe extends AutoCloseable {

    /**
     * Returns the GPUs this probe samples, fetched once when it was opened.
     *
     * @return the GPUs, in index order; empty for a probe of the host
     */
    List<DeviceInfo> devices();

    /**
     * Returns the driver's versions, for a probe of GPUs.
     *
     * @return the versions, or empty
     */
    default Optional<DriverInfo> driver() {
        return Optional.empty();
    }

    /**
     * Writes one tick's values. Must not block for long, and should not allocate.
     *
     * @param out where to write
     */
    void sample(SampleWriter out);

    /**
     * Tells whether a GPU stopped answering for good and is no longer sampled.
     *
     * @param device the GPU's index among this probe's devices
     * @return whether it is lost
     */
    default boolean isLost(int device) {
        return false;
    }

    /**
     * Lists the compute processes on a GPU now. May allocate; not called on every tick.
     *
     * @param device the GPU's index among this probe's devices
     * @return the processes, or an empty list when the GPU cannot tell
     */
    default List<GpuProcess> processes(int device) {
        return List.of();
    }

    /** Releases what the probe holds; later calls to {@link #sample} are not allowed. */
    @Override
    void close();
}
