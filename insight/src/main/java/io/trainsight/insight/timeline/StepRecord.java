package io.trainsight.insight.timeline;

/**
 * What happened during one optimizer step.
 *
 * <p>A step runs from the moment the loop asks for the next batch ({@link #startNanos()}) to the
 * moment the optimizer step is done and the loss has been read back from the device ({@link
 * #endNanos()}), so device work falls inside the window. Times are on {@link System#nanoTime()}.
 * {@link #phaseTiming()} says how the forward, backward and optimizer times were measured: on the
 * CPU the host's clock times the work itself; on a GPU only synchronized steps ({@link
 * PhaseTiming#DEVICE}) have them, the others ({@link PhaseTiming#NONE}) hold 0 there.
 *
 * @param step the 1-based index of the optimizer step in the run
 * @param epoch the 1-based epoch the step belongs to
 * @param startNanos when the loop asked for the step's batch
 * @param endNanos when the step was done, device work included
 * @param dataWaitNanos the time spent blocked waiting for the batch
 * @param forwardNanos the time spent in the forward pass and the loss
 * @param backwardNanos the time spent in the backward pass
 * @param optimizerNanos the time spent updating the parameters
 * @param loss the mean training loss of the step's micro-batches, unscaled
 * @param samples the number of samples in the step's micro-batches
 * @param microBatches the number of micro-batches whose gradients the step accumulated
 * @param lossScale the loss scale of the step under mixed precision, 1 in FP32
 * @param gradNorm the global L2 norm of the gradients before clipping, or NaN when it was not
 *     computed (FP32 without norm clipping)
 * @param skipped whether the update was skipped because a gradient held an inf or a NaN
 * @param phaseTiming how the phase times were measured
 */
public record StepRecord(
        long step,
        int epoch,
        long startNanos,
        long endNanos,
        long dataWaitNanos,
        long forwardNanos,
        long backwardNanos,
        long optimizerNanos,
        float loss,
        int samples,
        int microBatches,
        float lossScale,
        float gradNorm,
        boolean skipped,
        PhaseTiming phaseTiming) {

    /** Checks the timing. */
    public StepRecord {
        if (phaseTiming == null) {
            throw new IllegalArgumentException("phaseTiming must not be null");
        }
    }

    /**
     * A step whose phases were timed on the host (the CPU).
     *
     * @param step the step
     * @param epoch the epoch
     * @param startNanos when the loop asked for the batch
     * @param endNanos when the step was done
     * @param dataWaitNanos the wait for data
     * @param forwardNanos the forward pass and loss
     * @param backwardNanos the backward pass
     * @param optimizerNanos the update
     * @param loss the loss
     * @param samples the samples
     * @param microBatches the micro-batches
     * @param lossScale the loss scale
     * @param gradNorm the gradient norm, or NaN
     * @param skipped whether the update was skipped
     */
    public StepRecord(
            long step,
            int epoch,
            long startNanos,
            long endNanos,
            long dataWaitNanos,
            long forwardNanos,
            long backwardNanos,
            long optimizerNanos,
            float loss,
            int samples,
            int microBatches,
            float lossScale,
            float gradNorm,
            boolean skipped) {
        this(
                step,
                epoch,
                startNanos,
                endNanos,
                dataWaitNanos,
                forwardNanos,
                backwardNanos,
                optimizerNanos,
                loss,
                samples,
                microBatches,
                lossScale,
                gradNorm,
                skipped,
                PhaseTiming.HOST);
    }

    /**
     * Tells whether the forward, backward and optimizer times were measured.
     *
     * @return false for a {@link PhaseTiming#NONE} step
     */
    public boolean phasesTimed() {
        return phaseTiming != PhaseTiming.NONE;
    }

    /** Returns the whole step time, data wait included. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** Returns the step time spent outside the data wait. */
    public long computeNanos() {
        return durationNanos() - dataWaitNanos;
    }
}
