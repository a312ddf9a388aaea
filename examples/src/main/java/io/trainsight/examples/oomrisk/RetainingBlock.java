package io.trainsight.examples.oomrisk;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Wraps a model and, on every training forward pass, keeps a new array of a fixed size alive in a
 * manager that outlives the step: the leak of a training loop that stores something per step (say,
 * each step's activations kept for logging) and never lets go. Memory grows by the same amount
 * every step until the manager is closed. Inference (the held-out evaluation) keeps nothing.
 */
final class RetainingBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block inner;
    private final NDManager store;
    private final long floatsPerStep;

    RetainingBlock(Block inner, NDManager store, long bytesPerStep) {
        super(VERSION);
        this.inner = addChildBlock("model", inner);
        this.store = store;
        this.floatsPerStep = bytesPerStep / Float.BYTES;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList output = inner.forward(parameterStore, inputs, training, params);
        if (training) {
            // ones() writes every element, so the pages are resident, not just reserved
            store.ones(new Shape(floatsPerStep));
        }
        return output;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }
}
