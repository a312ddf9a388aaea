package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDList;
import io.trainsight.trainer.internal.amp.HalfInputs;

/**
 * How a batch's inputs are prepared for the model, the same for the training steps and for
 * evaluation: cast to FP16 for a model with FP16 weights, then, for image batches, laid out
 * channels-last. New arrays belong to the managers of the inputs they come from.
 *
 * @param half whether floating-point inputs are cast to FP16
 * @param channelsLast whether arrays of four dimensions are laid out channels-last
 */
public record Inputs(boolean half, boolean channelsLast) {

    /**
     * Prepares a batch's inputs.
     *
     * @param data the inputs as loaded
     * @return the inputs to run the model on
     */
    public NDList prepare(NDList data) {
        NDList out = half ? HalfInputs.cast(data) : data;
        return channelsLast ? ChannelsLast.apply(out) : out;
    }
}
