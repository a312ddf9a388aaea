package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.SampleView;

/**
 * Sums one device's samples over one step's window, reset for every step: no allocation per sample.
 * The energy counter's rate is kept across steps, from every pair of consecutive samples.
 */
final class ChannelWindow {

    private final SampleChannel channel;
    private int samples;
    private double utilSum;
    private int utilCount;
    private double utilMin;
    private double waitUtilSum;
    private int waitUtilCount;
    private long memoryPeak;
    private long capacity;
    private double powerSum;
    private int powerCount;
    private double clockSum;
    private int clockCount;
    private long throttle;
    private long otherMemoryPeak;
    private double otherUtil;
    private boolean processMemory;
    private double energyMillijoules;
    private long energyNanos;
    private double lastRate = Double.NaN;
    private long lastEnergy = -1;
    private long lastEnergyNanos;

    ChannelWindow(SampleChannel channel) {
        this.channel = channel;
        reset();
    }

    void reset() {
        samples = 0;
        utilSum = 0;
        utilCount = 0;
        utilMin = Double.POSITIVE_INFINITY;
        waitUtilSum = 0;
        waitUtilCount = 0;
        memoryPeak = -1;
        capacity = -1;
        powerSum = 0;
        powerCount = 0;
        clockSum = 0;
        clockCount = 0;
        throttle = 0;
        otherMemoryPeak = -1;
        otherUtil = Double.NaN;
        processMemory = true;
        energyMillijoules = 0;
        energyNanos = 0;
    }

    /**
     * Takes one sample in time order: every sample goes through here once, inside a step's window
     * or not, so the energy counter's rate follows every pair.
     */
    void consume(SampleView sample, boolean inside, boolean duringWait) {
        long energy = channel.energyMillijoules(sample);
        long now = sample.nanoTime();
        if (energy >= 0 && lastEnergy >= 0 && energy >= lastEnergy && now > lastEnergyNanos) {
            long delta = energy - lastEnergy;
            long nanos = now - lastEnergyNanos;
            lastRate = (double) delta / nanos;
            if (inside) {
                energyMillijoules += delta;
                energyNanos += nanos;
            }
        }
        lastEnergy = energy;
        lastEnergyNanos = now;
        if (!inside) {
            return;
        }
        samples++;
        double util = channel.utilization(sample);
        if (!Double.isNaN(util)) {
            utilSum += util;
            utilCount++;
            utilMin = Math.min(utilMin, util);
            if (duringWait) {
                waitUtilSum += util;
                waitUtilCount++;
            }
        }
        memoryPeak = Math.max(memoryPeak, channel.memoryUsed(sample));
        processMemory &= channel.processMemory(sample);
        otherMemoryPeak = Math.max(otherMemoryPeak, channel.otherMemory(sample));
        double others = channel.otherUtilization(sample);
        if (!Double.isNaN(others)) {
            otherUtil = Double.isNaN(otherUtil) ? others : Math.max(otherUtil, others);
        }
        long total = channel.memoryCapacity(sample);
        if (total > 0) {
            capacity = total;
        }
        double power = channel.powerWatts(sample);
        if (!Double.isNaN(power)) {
            powerSum += power;
            powerCount++;
        }
        double clock = channel.smClockMhz(sample);
        if (!Double.isNaN(clock)) {
            clockSum += clock;
            clockCount++;
        }
        throttle |= channel.throttleMask(sample);
    }

    /** Summarises the samples inside the window. */
    StepInsight inside(long step, long durationNanos) {
        double power = powerCount == 0 ? Double.NaN : powerSum / powerCount;
        return new StepInsight(
                step,
                channel.id(),
                samples,
                false,
                utilCount == 0 ? Double.NaN : utilSum / utilCount,
                utilCount == 0 ? Double.NaN : utilMin,
                waitUtilCount == 0 ? Double.NaN : waitUtilSum / waitUtilCount,
                memoryPeak,
                capacity,
                power,
                energy(durationNanos, power),
                clockCount == 0 ? Double.NaN : clockSum / clockCount,
                throttle,
                otherMemoryPeak,
                otherUtil,
                processMemory);
    }

    /** Describes a step that held no sample by the nearest one, or by nothing. */
    StepInsight nearest(long step, long durationNanos, SampleView sample) {
        if (sample == null) {
            return new StepInsight(
                    step,
                    channel.id(),
                    0,
                    false,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    -1,
                    -1,
                    Double.NaN,
                    energy(durationNanos, Double.NaN),
                    Double.NaN,
                    0,
                    -1,
                    Double.NaN,
                    true);
        }
        double util = channel.utilization(sample);
        double power = channel.powerWatts(sample);
        return new StepInsight(
                step,
                channel.id(),
                0,
                true,
                util,
                util,
                Double.NaN,
                channel.memoryUsed(sample),
                channel.memoryCapacity(sample),
                power,
                energy(durationNanos, power),
                channel.smClockMhz(sample),
                channel.throttleMask(sample),
                channel.otherMemory(sample),
                channel.otherUtilization(sample),
                channel.processMemory(sample));
    }

    /** The counter's rate over the window (else the latest rate) times the duration, in joules. */
    private double energy(long durationNanos, double powerWatts) {
        double rate = energyNanos > 0 ? energyMillijoules / energyNanos : lastRate;
        if (!Double.isNaN(rate)) {
            return rate * durationNanos / 1000.0;
        }
        return Double.isNaN(powerWatts) ? Double.NaN : powerWatts * durationNanos / 1e9;
    }
}
