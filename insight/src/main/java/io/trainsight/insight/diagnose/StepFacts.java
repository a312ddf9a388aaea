package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepSignals;

/**
 * One step as the JVM and host rules see it: its times, its signals, and what was judged of it
 * against the steps before it (the rolling medians, whether it was an outlier, stalled by GC, or
 * contended).
 *
 * @param step the step
 * @param durationNanos its duration
 * @param computeNanos its duration less its data wait
 * @param waitNanos its data wait
 * @param signals its GC, arrays and host load
 * @param throttled whether a device was throttled during it
 * @param memory the first device's memory peak, bytes, or -1
 * @param medianNanos the median duration of the steps before it, or -1 before there are enough
 * @param medianWaitNanos the median data wait of the steps before it, or -1
 * @param outlier whether it took the stall factor times the median or more
 * @param gcStalled whether it took the GC stall factor times the median with a GC pause making up
 *     at least half the excess
 * @param contended whether other processes took the cores while its threads waited for one
 */
record StepFacts(
        long step,
        long durationNanos,
        long computeNanos,
        long waitNanos,
        StepSignals signals,
        boolean throttled,
        long memory,
        long medianNanos,
        long medianWaitNanos,
        boolean outlier,
        boolean gcStalled,
        boolean contended) {

    /** Returns the time the step took beyond the median, 0 when unknown or shorter. */
    long excessNanos() {
        return medianNanos < 0 ? 0 : Math.max(0, durationNanos - medianNanos);
    }
}
