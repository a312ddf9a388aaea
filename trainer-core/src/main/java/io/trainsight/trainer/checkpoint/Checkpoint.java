package io.trainsight.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What a checkpoint holds. Arrays are by parameter name, in the model's order.
 *
 * @param state where the run stands
 * @param parameters the model's parameter values (FP16 under mixed precision)
 * @param masters the FP32 master weights under mixed precision, else empty
 * @param optimizer the optimizer's state
 */
public record Checkpoint(
        TrainingState state,
        Map<String, NDArray> parameters,
        Map<String, NDArray> masters,
        OptimizerState optimizer)
        implements AutoCloseable {

    /** Closes the arrays of a checkpoint that was read and not handed over to a model. */
    @Override
    public void close() {
        parameters.values().forEach(NDArray::close);
        masters.values().forEach(NDArray::close);
        optimizer.arrays().values().forEach(m -> m.values().forEach(NDArray::close));
    }
}
