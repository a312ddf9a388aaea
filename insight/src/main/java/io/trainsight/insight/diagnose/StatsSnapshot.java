package io.trainsight.insight.diagnose;

/**
 * The numbers the rules read, over a set of steps of one device: a rolling window or the whole run.
 * Means are over the steps that had the value; NaN (or -1 for bytes) when none had it.
 *
 * @param device the device's id
 * @param host whether the device is the host standing in for a GPU
 * @param firstStep the first step counted
 * @param lastStep the last step counted
 * @param steps the number of steps counted
 * @param durationNanos the steps' time, summed
 * @param waitNanos their data wait, summed
 * @param utilMean the mean utilisation, percent
 * @param utilMin the lowest utilisation of a step, percent
 * @param lowUtilSteps steps whose mean utilisation was below the low threshold
 * @param utilSteps steps with a utilisation
 * @param utilDuringWait the mean utilisation while steps waited for data, percent
 * @param memoryPeak the most memory in use, bytes
 * @param memoryPeakStep the step of the peak
 * @param memoryCapacity the device's memory, bytes
 * @param memoryLast the peak of the last step with a memory value, bytes
 * @param memorySlope the least-squares memory trend, bytes per step
 * @param memoryR2 how straight that trend is, from 0 to 1
 * @param throttledSteps steps during which a throttle reason was seen
 * @param throttleMask every throttle reason seen
 * @param throttledNanos the time of the throttled steps, summed
 * @param energyJoules the energy of the steps, summed
 * @param powerMean the mean power, weighted by step time, watts
 * @param smClockMhz the mean SM clock, weighted by step time, MHz
 * @param waitSteps the steps whose data wait reached the moderate input-bound share
 * @param lowUtilRange the steps of low utilisation
 * @param highMemorySteps the steps whose memory reached the OOM peak share
 * @param throttleRange the throttled steps
 * @param otherMemoryPeak the most memory other processes held on the device, bytes; -1 when unknown
 * @param otherUtilMax the highest SM utilisation of another process, percent; NaN when unknown
 * @param processMemorySteps steps whose memory was the process's own
 * @param deviceMemorySteps steps whose memory was the device-wide used memory (the process's PID
 *     was not among the GPU's processes)
 * @param signals the JVM and host numbers over the same steps (GC, live arrays, host load, stalls)
 */
public record StatsSnapshot(
        String device,
        boolean host,
        long firstStep,
        long lastStep,
        long steps,
        long durationNanos,
        long waitNanos,
        double utilMean,
        double utilMin,
        long lowUtilSteps,
        long utilSteps,
        double utilDuringWait,
        long memoryPeak,
        long memoryPeakStep,
        long memoryCapacity,
        long memoryLast,
        double memorySlope,
        double memoryR2,
        long throttledSteps,
        long throttleMask,
        long throttledNanos,
        double energyJoules,
        double powerMean,
        double smClockMhz,
        StepRange waitSteps,
        StepRange lowUtilRange,
        StepRange highMemorySteps,
        StepRange throttleRange,
        long otherMemoryPeak,
        double otherUtilMax,
        long processMemorySteps,
        long deviceMemorySteps,
        SignalStats signals) {

    /**
     * Tells what the memory figures are.
     *
     * @return {@code process} (the process's own), {@code device} (the device-wide used memory, the
     *     process not being among the GPU's processes), {@code mixed}, or {@code none}
     */
    public String memoryBasis() {
        if (processMemorySteps > 0 && deviceMemorySteps > 0) {
            return "mixed";
        }
        if (deviceMemorySteps > 0) {
            return "device";
        }
        return processMemorySteps > 0 ? "process" : "none";
    }

    /**
     * Returns the other processes' memory peak as a share of the capacity.
     *
     * @return the share, or NaN when unknown
     */
    public double otherMemoryShare() {
        return otherMemoryPeak < 0 || memoryCapacity <= 0
                ? Double.NaN
                : (double) otherMemoryPeak / memoryCapacity;
    }

    /**
     * Returns the data wait as a share of step time.
     *
     * @return from 0 to 1, or NaN without steps
     */
    public double waitShare() {
        return durationNanos == 0 ? Double.NaN : (double) waitNanos / durationNanos;
    }

    /**
     * Returns the mean step time.
     *
     * @return milliseconds, or NaN without steps
     */
    public double meanStepMillis() {
        return steps == 0 ? Double.NaN : durationNanos / 1e6 / steps;
    }

    /**
     * Returns the share of steps with low utilisation.
     *
     * @return from 0 to 1, or NaN without utilisation
     */
    public double lowUtilShare() {
        return utilSteps == 0 ? Double.NaN : (double) lowUtilSteps / utilSteps;
    }

    /**
     * Returns the memory peak as a share of capacity.
     *
     * @return the share, or NaN when unknown
     */
    public double memoryPeakShare() {
        return memoryPeak < 0 || memoryCapacity <= 0
                ? Double.NaN
                : (double) memoryPeak / memoryCapacity;
    }
}
