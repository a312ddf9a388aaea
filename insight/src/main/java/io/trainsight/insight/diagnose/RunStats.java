package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;

/**
 * The whole run's numbers for one device, as running sums: constant memory for any number of steps.
 */
public final class RunStats {

    private final String device;
    private final boolean host;
    private final DiagnosisThresholds thresholds;
    private long firstStep = -1;
    private long lastStep = -1;
    private long steps;
    private long durationNanos;
    private long waitNanos;
    private double utilSum;
    private long utilSteps;
    private double utilMin = Double.NaN;
    private long lowUtilSteps;
    private double waitUtilSum;
    private long waitUtilSteps;
    private long memoryPeak = -1;
    private long memoryPeakStep = -1;
    private long memoryCapacity = -1;
    private long memoryLast = -1;
    private long otherMemoryPeak = -1;
    private double otherUtilMax = Double.NaN;
    private long processMemorySteps;
    private long deviceMemorySteps;
    private long throttledSteps;
    private long throttleMask;
    private long throttledNanos;
    private double energy;
    private boolean hasEnergy;
    private double powerTime;
    private long powerNanos;
    private double clockTime;
    private long clockNanos;
    private StepRange waitSteps;
    private StepRange lowUtilRange;
    private StepRange highMemorySteps;
    private StepRange throttleRange;

    /**
     * Creates empty statistics.
     *
     * @param device the device's id
     * @param host whether it is the host standing in for a GPU
     * @param thresholds the thresholds behind the step ranges
     */
    public RunStats(String device, boolean host, DiagnosisThresholds thresholds) {
        this.device = device;
        this.host = host;
        this.thresholds = thresholds;
    }

    /**
     * Adds a step.
     *
     * @param record the step
     * @param insight the device's samples during it, or null without a monitor
     */
    public void add(StepRecord record, StepInsight insight) {
        long step = record.step();
        long duration = record.durationNanos();
        if (firstStep < 0) {
            firstStep = step;
        }
        lastStep = step;
        steps++;
        durationNanos += duration;
        waitNanos += record.dataWaitNanos();
        if (StepConditions.waiting(record, thresholds)) {
            waitSteps = StepRange.extend(waitSteps, step);
        }
        if (insight == null) {
            return;
        }
        if (!Double.isNaN(insight.utilMean())) {
            utilSum += insight.utilMean();
            utilSteps++;
            utilMin =
                    Double.isNaN(utilMin)
                            ? insight.utilMin()
                            : Math.min(utilMin, insight.utilMin());
            if (StepConditions.lowUtil(insight, thresholds)) {
                lowUtilSteps++;
                lowUtilRange = StepRange.extend(lowUtilRange, step);
            }
        }
        if (!Double.isNaN(insight.utilDuringWait())) {
            waitUtilSum += insight.utilDuringWait();
            waitUtilSteps++;
        }
        addMemory(insight, step);
        if (StepConditions.throttled(insight)) {
            throttledSteps++;
            throttledNanos += duration;
            throttleRange = StepRange.extend(throttleRange, step);
        }
        throttleMask |= insight.throttleMask();
        if (!Double.isNaN(insight.energyJoules())) {
            energy += insight.energyJoules();
            hasEnergy = true;
        }
        if (!Double.isNaN(insight.powerMean())) {
            powerTime += insight.powerMean() * duration;
            powerNanos += duration;
        }
        if (!Double.isNaN(insight.smClockMhz())) {
            clockTime += insight.smClockMhz() * duration;
            clockNanos += duration;
        }
    }

    private void addMemory(StepInsight insight, long step) {
        otherMemoryPeak = Math.max(otherMemoryPeak, insight.otherMemoryPeak());
        if (!Double.isNaN(insight.otherUtil())) {
            otherUtilMax =
                    Double.isNaN(otherUtilMax)
                            ? insight.otherUtil()
                            : Math.max(otherUtilMax, insight.otherUtil());
        }
        if (insight.memoryPeak() >= 0) {
            if (insight.processMemory()) {
                processMemorySteps++;
            } else {
                deviceMemorySteps++;
            }
            memoryLast = insight.memoryPeak();
            if (insight.memoryPeak() > memoryPeak) {
                memoryPeak = insight.memoryPeak();
                memoryPeakStep = step;
            }
        }
        if (insight.memoryCapacity() > 0) {
            memoryCapacity = insight.memoryCapacity();
        }
        if (StepConditions.highMemory(insight, thresholds)) {
            highMemorySteps = StepRange.extend(highMemorySteps, step);
        }
    }

    /**
     * Returns the numbers so far.
     *
     * @return a snapshot, without a memory trend or JVM and host numbers
     */
    public StatsSnapshot snapshot() {
        return snapshot(SignalStats.NONE);
    }

    /** Returns the numbers so far with the JVM and host numbers of the same steps. */
    StatsSnapshot snapshot(SignalStats signals) {
        return snapshot(Double.NaN, Double.NaN, signals);
    }

    /**
     * Returns the numbers so far with a memory trend fitted elsewhere (the rolling window) and the
     * JVM and host numbers of the same steps.
     */
    StatsSnapshot snapshot(double memorySlope, double memoryR2, SignalStats signals) {
        return new StatsSnapshot(
                device,
                host,
                firstStep,
                lastStep,
                steps,
                durationNanos,
                waitNanos,
                utilSteps == 0 ? Double.NaN : utilSum / utilSteps,
                utilMin,
                lowUtilSteps,
                utilSteps,
                waitUtilSteps == 0 ? Double.NaN : waitUtilSum / waitUtilSteps,
                memoryPeak,
                memoryPeakStep,
                memoryCapacity,
                memoryLast,
                memorySlope,
                memoryR2,
                throttledSteps,
                throttleMask,
                throttledNanos,
                hasEnergy ? energy : Double.NaN,
                powerNanos == 0 ? Double.NaN : powerTime / powerNanos,
                clockNanos == 0 ? Double.NaN : clockTime / clockNanos,
                waitSteps,
                lowUtilRange,
                highMemorySteps,
                throttleRange,
                otherMemoryPeak,
                otherUtilMax,
                processMemorySteps,
                deviceMemorySteps,
                signals);
    }
}
