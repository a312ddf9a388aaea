package io.trainsight.insight.timeline;

/**
 * What happened during one optimizer step.
 *
 * <p>A step runs from the moment the loop asks for the next batch ({@link #startNanos()}) to the
 * moment the optimizer step is done and the loss has been read back from the device ({@link
 * #endNanos()}), so device work falls inside the window. Times are on {@link System#nanoTime()}.
 * The phase times are host-side: on CPU they are the time the work took, on a GPU they include only
 * what the host waited for.
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
        boolean skipped) {

    /** Returns the whole step time, data wait included. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** Returns the step time spent outside the data wait. */
    public long computeNanos() {
        return durationNanos() - dataWaitNanos;
    }
}
