package io.trainsight.insight.correlate;

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
 * @param memoryPeak the most memory in use, bytes
 * @param memoryCapacity the device's memory (the host's limit), bytes
 * @param powerMean the mean power draw, watts
 * @param energyJoules the energy of the step: the energy counter's rate times the step's duration,
 *     or the mean power times the duration where there is no counter
 * @param smClockMhz the mean SM clock, MHz
 * @param throttleMask every clock-event (throttle) reason seen, NVML's bits
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
        long throttleMask) {

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
