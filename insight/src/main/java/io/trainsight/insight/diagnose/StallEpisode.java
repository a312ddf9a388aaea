package io.trainsight.insight.diagnose;

/**
 * Consecutive outlier steps (two normal steps apart at most) and what coincided with them.
 *
 * @param first the first step
 * @param last the last step
 * @param steps the outlier steps in it
 * @param lostNanos the time its steps took beyond the rolling median
 * @param worstFactor its slowest step, in medians
 * @param cause the main cause: {@code gc}, {@code data-wait}, {@code checkpoint}, {@code
 *     contention}, {@code throttling} or {@code unexplained}
 * @param detail what coincided, in words
 */
record StallEpisode(
        long first,
        long last,
        int steps,
        long lostNanos,
        double worstFactor,
        String cause,
        String detail) {

    /** Returns the episode in one line, as the evidence lists it: steps first, then numbers. */
    String describe() {
        return (first == last ? Long.toString(first) : first + "-" + last)
                + ": "
                + Units.format("%.1f ms lost, up to %.1fx the median", lostNanos / 1e6, worstFactor)
                + "; "
                + cause
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
