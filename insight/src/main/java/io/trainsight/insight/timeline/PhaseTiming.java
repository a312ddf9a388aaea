package io.trainsight.insight.timeline;

import java.util.Locale;

/**
 * How the forward, backward and optimizer times of a step were measured. On the CPU the work runs
 * on the calling thread, so the host's clock times it. On a GPU the host only queues kernels: a
 * phase's host time is its launch time, and the device's work lands wherever the host next waits.
 * Device time needs the host to wait for the device at each phase boundary, which costs the overlap
 * of host and device, so the loop does it on a sample of steps only.
 */
public enum PhaseTiming {
    /** Timed on the host's clock; on the CPU that is the work's own time. */
    HOST("host time"),
    /** The device was synchronized at each phase boundary: device time. */
    DEVICE("device time (synchronized)"),
    /** The phases were not timed (a device step not in the sample): the whole step only. */
    NONE("not timed: whole step only");

    private final String description;

    PhaseTiming(String description) {
        this.description = description;
    }

    /**
     * Returns the name in files: {@code host}, {@code device} or {@code none}.
     *
     * @return the label
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Says how the phases were measured, in a few words.
     *
     * @return the description
     */
    public String describe() {
        return description;
    }

    /**
     * Reads a label back; a missing one is {@link #HOST} (logs written before the field existed).
     *
     * @param label a label of {@link #label()}, or null
     * @return the timing
     */
    public static PhaseTiming of(String label) {
        if (label == null || label.isEmpty()) {
            return HOST;
        }
        for (PhaseTiming timing : values()) {
            if (timing.label().equals(label)) {
                return timing;
            }
        }
        throw new IllegalArgumentException(
                "unknown phase timing '" + label + "'; valid: host, device, none");
    }
}
