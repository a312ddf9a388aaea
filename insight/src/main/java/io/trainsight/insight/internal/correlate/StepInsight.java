package io.trainsight.insight.internal.correlate;

/**
 * What one device did during one training step: the samples taken inside the step's window,
 * summarised. A step shorter than the sampling period usually holds no sample; it then gets the
 * sample nearest to its window ({@link #nearest()}). Values a device does not report are NaN (or -1
 * for bytes).
 *
 * @param step the step
 * @param device the device's id, such as {@code gpu0} or {@code host}
 * @param samples the number of samples inside the step's window (0 when the nearest one was used)
 * @param nearest whether the values come from the nearest sample outside the window
 * @param utilMean the mean utilisation, percent
 * @param utilMin the lowest utilisation, percent
 * @param utilDuringWait the mean utilisation of the samples taken while the step waited for data,
 *     percent; NaN when none fell in the wait
 * @param memoryPeak the most memory in use, bytes: the process's own (its NVML per-process memory
 *     on a GPU, its resident memory on the host), or the GPU's device-wide used memory where the
 *     process is not among the GPU's processes (see {@code processMemory})
 * @param memoryCapacity the memory the device offers (usable: total less reserved on a GPU; the
 *     host's limit), bytes
 * @param powerMean the mean power draw, watts
 * @param energyJoules the energy of the step: the energy counter's rate times the step's duration,
 *     or the mean power times the duration where there is no counter
 * @param smClockMhz the mean SM clock, MHz
 * @param throttleMask every clock-event (throttle) reason seen, NVML's bits
 * @param otherMemoryPeak the most memory other processes held on the device, bytes; -1 when unknown
 *     (the host, or no process list)
 * @param otherUtil the highest SM utilisation of another process on the device, percent; NaN when
 *     unknown
 * @param processMemory whether {@code memoryPeak} is the process's own memory (false: device-wide)
 */
public record StepInsight(
        long step,
        String device,
        int samples,
        boolean nearest,
        double utilMean,
        double utilMin,
        double utilDuringWait,
        long memoryPeak,
        long memoryCapacity,
        double powerMean,
        double energyJoules,
        double smClockMhz,
        long throttleMask,
        long otherMemoryPeak,
        double otherUtil,
        boolean processMemory) {

    /**
     * An insight without other processes' numbers, the memory being the process's own.
     *
     * @param step the step
     * @param device the device's id
     * @param samples the samples inside the window
     * @param nearest whether the nearest sample was used
     * @param utilMean the mean utilisation
     * @param utilMin the lowest utilisation
     * @param utilDuringWait the utilisation during the data wait
     * @param memoryPeak the memory peak
     * @param memoryCapacity the memory capacity
     * @param powerMean the mean power
     * @param energyJoules the energy
     * @param smClockMhz the mean SM clock
     * @param throttleMask the throttle reasons
     */
    public StepInsight(
            long step,
            String device,
            int samples,
            boolean nearest,
            double utilMean,
            double utilMin,
            double utilDuringWait,
            long memoryPeak,
            long memoryCapacity,
            double powerMean,
            double energyJoules,
            double smClockMhz,
            long throttleMask) {
        this(
                step,
                device,
                samples,
                nearest,
                utilMean,
                utilMin,
                utilDuringWait,
                memoryPeak,
                memoryCapacity,
                powerMean,
                energyJoules,
                smClockMhz,
                throttleMask,
                -1,
                Double.NaN,
                true);
    }

    /**
     * Returns the memory left at the peak.
     *
     * @return capacity less peak in bytes, or -1 when either is unknown
     */
    public long headroom() {
        return memoryPeak < 0 || memoryCapacity <= 0 ? -1 : memoryCapacity - memoryPeak;
    }

    /**
     * Returns the peak as a share of the capacity.
     *
     * @return from 0 to 1 (or above), or NaN when unknown
     */
    public double memoryShare() {
        return memoryPeak < 0 || memoryCapacity <= 0
                ? Double.NaN
                : (double) memoryPeak / memoryCapacity;
    }

    /**
     * Tells whether any sample was matched to the step.
     *
     * @return whether the step has values
     */
    public boolean hasSample() {
        return samples > 0 || nearest;
    }
}
