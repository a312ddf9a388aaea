package io.trainsight.insight.diagnose;

import java.util.Locale;

/** How much a finding matters, lowest first. */
public enum Severity {
    /** Worth knowing; the run is not much slower or at risk because of it. */
    INFO,
    /** The run is slower than it needs to be, or will be. */
    WARNING,
    /** The run is about to fail, or failed. */
    CRITICAL;

    /**
     * Returns the name used in files and on the console.
     *
     * @return the lowercase name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a label back.
     *
     * @param label a label of {@link #label()}
     * @return the severity
     * @throws IllegalArgumentException for an unknown label
     */
    public static Severity of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
