package io.trainsight.insight.internal.report;

import io.trainsight.insight.timeline.PhaseTiming;
import io.trainsight.insight.timeline.StepRecord;

/**
 * The run's totals and the split of its step time into data wait, forward, backward, optimizer and
 * the rest, as running sums. The split covers the steps whose phases were timed ({@link
 * StepRecord#phasesTimed()}): every step on the CPU, the synchronized sample of steps on a GPU.
 */
public final class RunTotals {

    private long steps;
    private long samples;
    private long skipped;
    private long firstStep = -1;
    private long lastStep = -1;
    private long firstStart;
    private long lastEnd;
    private long duration;
    private long wait;
    private long forward;
    private long backward;
    private long optimizer;
    private long timedSteps;
    private long timedDuration;
    private long timedWait;
    private long deviceSteps;
    private long longest;
    private double lastLoss = Double.NaN;

    /**
     * Adds a step.
     *
     * @param record the step
     */
    public void add(StepRecord record) {
        if (steps == 0) {
            firstStep = record.step();
            firstStart = record.startNanos();
        }
        steps++;
        lastStep = record.step();
        lastEnd = record.endNanos();
        samples += record.samples();
        if (record.skipped()) {
            skipped++;
        }
        duration += record.durationNanos();
        wait += record.dataWaitNanos();
        if (record.phasesTimed()) {
            timedSteps++;
            timedDuration += record.durationNanos();
            timedWait += record.dataWaitNanos();
            forward += record.forwardNanos();
            backward += record.backwardNanos();
            optimizer += record.optimizerNanos();
            if (record.phaseTiming() == PhaseTiming.DEVICE) {
                deviceSteps++;
            }
        }
        longest = Math.max(longest, record.durationNanos());
        if (Float.isFinite(record.loss())) {
            lastLoss = record.loss();
        }
    }

    /**
     * Returns the totals so far.
     *
     * @return the totals
     */
    public Totals totals() {
        long wall = steps == 0 ? 0 : lastEnd - firstStart;
        long other = timedDuration - timedWait - forward - backward - optimizer;
        return new Totals(
                steps,
                firstStep,
                lastStep,
                samples,
                skipped,
                wall / 1e9,
                duration / 1e9,
                steps == 0 ? Double.NaN : duration / 1e6 / steps,
                longest / 1e6,
                wall == 0 ? Double.NaN : steps * 1e9 / wall,
                wall == 0 ? Double.NaN : samples * 1e9 / wall,
                lastLoss,
                new TimeSplit(
                        timedWait / 1e9,
                        forward / 1e9,
                        backward / 1e9,
                        optimizer / 1e9,
                        Math.max(0, other) / 1e9,
                        timedSteps,
                        measured()));
    }

    /** How the split was measured, in one phrase. */
    private String measured() {
        if (steps == 0) {
            return "no step yet";
        }
        if (timedSteps == 0) {
            return "not measured: no step was synchronized with the device, so only whole steps"
                    + " and their data wait were timed";
        }
        if (deviceSteps == 0) {
            return "host time of every step (the work ran on the host)";
        }
        if (deviceSteps == steps) {
            return "device time: the device was synchronized at each phase boundary of every step";
        }
        return "device time on "
                + deviceSteps
                + " of "
                + steps
                + " steps, synchronized at each phase boundary; the other steps were timed whole";
    }

    /**
     * The run's totals.
     *
     * @param steps the steps
     * @param firstStep the first step
     * @param lastStep the last step
     * @param samples the training samples
     * @param skipped the steps skipped on inf/NaN gradients
     * @param wallSeconds from the first step's start to the last one's end
     * @param stepSeconds the steps' time, summed
     * @param meanStepMs the mean step time
     * @param longestStepMs the longest step
     * @param stepsPerSecond steps per wall-clock second
     * @param samplesPerSecond samples per wall-clock second
     * @param lastLoss the last finite loss
     * @param split where the step time went
     */
    public record Totals(
            long steps,
            long firstStep,
            long lastStep,
            long samples,
            long skipped,
            double wallSeconds,
            double stepSeconds,
            double meanStepMs,
            double longestStepMs,
            double stepsPerSecond,
            double samplesPerSecond,
            double lastLoss,
            TimeSplit split) {}

    /**
     * Where the step time went, in seconds, over the steps whose phases were timed.
     *
     * @param dataWait blocked on the loader
     * @param forward the forward pass and the loss
     * @param backward the backward pass
     * @param optimizer the parameter update
     * @param other the rest (clipping, loss scaling, bookkeeping)
     * @param steps the steps the split covers
     * @param measured how the phases were measured, in words
     */
    public record TimeSplit(
            double dataWait,
            double forward,
            double backward,
            double optimizer,
            double other,
            long steps,
            String measured) {

        /**
         * Returns the sum.
         *
         * @return seconds
         */
        public double total() {
            return dataWait + forward + backward + optimizer + other;
        }

        /**
         * Returns a part as a share of the total.
         *
         * @param part one of the parts
         * @return from 0 to 1, or NaN when the total is 0
         */
        public double share(double part) {
            double total = total();
            return total == 0 ? Double.NaN : part / total;
        }
    }
}
