package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.SampleView;

/**
 * What one device's samples mean to the insight: a GPU through NVML, or the host standing in for
 * one when there is no GPU (process CPU in place of GPU utilisation, resident memory against the
 * memory limit in place of device memory). Each method reads one number of a sample and answers NaN
 * or -1 when the sample does not have it.
 */
public interface SampleChannel {

    /**
     * Returns the short name of the device in rows and reports.
     *
     * @return {@code gpu0}, {@code gpu1} … or {@code host}
     */
    String id();

    /**
     * Says what the numbers are, for reports.
     *
     * @return a phrase such as {@code NVIDIA H100 (GPU 0)}
     */
    String describe();

    /**
     * Tells whether this channel is the host standing in for a GPU.
     *
     * @return whether it is the host
     */
    boolean isHost();

    /**
     * Returns the utilisation of a sample.
     *
     * @param sample the sample
     * @return percent from 0 to 100, or NaN
     */
    double utilization(SampleView sample);

    /**
     * Returns the memory in use.
     *
     * @param sample the sample
     * @return bytes, or -1
     */
    long memoryUsed(SampleView sample);

    /**
     * Tells whether {@link #memoryUsed} of a sample is the process's own memory.
     *
     * @param sample the sample
     * @return true for the process's own, false for device-wide
     */
    default boolean processMemory(SampleView sample) {
        return true;
    }

    /**
     * Returns the memory other processes hold on the device.
     *
     * @param sample the sample
     * @return bytes, or -1
     */
    default long otherMemory(SampleView sample) {
        return -1;
    }

    /**
     * Returns the highest SM utilisation of another process on the device.
     *
     * @param sample the sample
     * @return percent, or NaN
     */
    default double otherUtilization(SampleView sample) {
        return Double.NaN;
    }

    /**
     * Returns the memory the device has, the ceiling of {@link #memoryUsed}.
     *
     * @param sample the sample
     * @return bytes, or -1
     */
    long memoryCapacity(SampleView sample);

    /**
     * Returns the power draw.
     *
     * @param sample the sample
     * @return watts, or NaN
     */
    double powerWatts(SampleView sample);

    /**
     * Returns the energy counter.
     *
     * @param sample the sample
     * @return millijoules since some origin, or -1
     */
    long energyMillijoules(SampleView sample);

    /**
     * Returns the SM clock.
     *
     * @param sample the sample
     * @return MHz, or NaN
     */
    double smClockMhz(SampleView sample);

    /**
     * Returns the active clock-event (throttle) reasons.
     *
     * @param sample the sample
     * @return NVML's bit mask, 0 when none or unknown
     */
    long throttleMask(SampleView sample);
}
