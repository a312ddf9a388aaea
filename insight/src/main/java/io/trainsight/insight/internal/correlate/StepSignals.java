package io.trainsight.insight.internal.correlate;

/**
 * What else happened to the process during one training step, beside what each device did: the
 * JVM's garbage-collection pauses inside the step's window, the live NDArrays of the watched
 * NDManagers after it, the load of the host's CPUs during it, and a checkpoint written just before
 * it. Unknown values are -1 (counts, bytes, times), NaN (shares) or null (names).
 *
 * @param gcPauseNanos the time the JVM stood still for garbage collection inside the step
 * @param gcPauses the number of those pauses
 * @param gcLongestNanos the longest of them
 * @param gcCollector the collector of the longest, such as {@code G1 Young Generation}
 * @param liveArrays the NDArrays alive in the watched managers and their children after the step
 * @param liveBytes their size
 * @param growingManager the manager whose arrays grew most since the previous count, or null
 * @param allocationSite where the arrays that stayed alive in the growing manager were created (a
 *     sampled stack frame), or null until one is known
 * @param systemCpu the machine's CPU busy during the step, percent of all cores
 * @param systemCpuDuringWait the machine's CPU busy while the step waited for data, percent
 * @param processCpu this process's CPU during the step, percent of all cores (as {@code systemCpu})
 * @param runnableThreads the machine's threads runnable during the step (running or waiting for a
 *     core), the sampler's own left out
 * @param cores the cores the process may use
 * @param threads the threads the run keeps busy: the engine's intra-op threads (the training thread
 *     is one of them) and the loader's workers, 0 when unknown
 * @param checkpointNanos the time spent writing a checkpoint since the previous step (0 for none)
 */
public record StepSignals(
        long gcPauseNanos,
        int gcPauses,
        long gcLongestNanos,
        String gcCollector,
        long liveArrays,
        long liveBytes,
        String growingManager,
        String allocationSite,
        double systemCpu,
        double systemCpuDuringWait,
        double processCpu,
        double runnableThreads,
        int cores,
        int threads,
        long checkpointNanos) {

    /** A step of which nothing else is known. */
    public static final StepSignals NONE =
            new StepSignals(
                    -1,
                    0,
                    -1,
                    null,
                    -1,
                    -1,
                    null,
                    null,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    0,
                    0,
                    0);

    /**
     * Tells whether the GC pauses were tracked during the step.
     *
     * @return whether {@link #gcPauseNanos()} is known
     */
    public boolean hasGc() {
        return gcPauseNanos >= 0;
    }

    /**
     * Tells whether the live arrays were counted after the step.
     *
     * @return whether {@link #liveArrays()} is known
     */
    public boolean hasArrays() {
        return liveArrays >= 0;
    }

    /**
     * Returns the machine's CPU that other processes used during the step.
     *
     * @return percent of all cores, or NaN when unknown
     */
    public double othersCpu() {
        if (Double.isNaN(systemCpu) || Double.isNaN(processCpu)) {
            return Double.NaN;
        }
        return Math.max(0, systemCpu - processCpu);
    }
}
