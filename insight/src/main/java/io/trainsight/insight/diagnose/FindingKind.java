package io.trainsight.insight.diagnose;

/** What a finding is about. */
public enum FindingKind {
    /** The steps wait for data: the loader does not keep up. */
    INPUT_BOUND("input-bound"),
    /** The device is mostly idle, though the steps hardly wait for data. */
    LOW_UTILIZATION("low-utilization"),
    /** Memory is near the device's capacity, or heading for it. */
    OOM_RISK("oom-risk"),
    /** The device held its clocks down (power cap, thermal or power brake) during steps. */
    THROTTLED("throttled"),
    /** The engine ran out of memory and the run stopped. */
    OUT_OF_MEMORY("out-of-memory"),
    /** Other processes hold a significant share of the GPU the run trains on. */
    SHARED_GPU("shared-gpu"),
    /** Garbage-collection pauses take a share of step time, or stall steps. */
    GC("gc"),
    /** The live NDArrays of the model's managers grow step over step. */
    NDARRAY_LEAK("ndarray-leak"),
    /** Compute time per step trends up over the run. */
    SLOWDOWN("slowdown"),
    /** Other processes take the host's cores while the run's threads wait for one. */
    CONTENTION("contention"),
    /** Outlier steps, grouped into episodes with what coincided. */
    STALL("stall");

    private final String label;

    FindingKind(String label) {
        this.label = label;
    }

    /**
     * Returns the name used in files and on the console.
     *
     * @return such as {@code input-bound}
     */
    public String label() {
        return label;
    }

    /**
     * Reads a label back.
     *
     * @param label a label of {@link #label()}
     * @return the kind
     * @throws IllegalArgumentException for an unknown label
     */
    public static FindingKind of(String label) {
        for (FindingKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown finding kind '" + label + "'");
    }
}
