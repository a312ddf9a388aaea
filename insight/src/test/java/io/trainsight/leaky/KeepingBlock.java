package io.trainsight.leaky;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A model that keeps a copy of every training output in the model's manager: a leak. */
public final class KeepingBlock extends AbstractBlock {

    private final Block inner;
    private NDManager modelManager;

    /**
     * Wraps a model.
     *
     * @param inner the model
     */
    public KeepingBlock(Block inner) {
        super((byte) 1);
        this.inner = addChildBlock("model", inner);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList output = inner.forward(parameterStore, inputs, training, params);
        if (training) {
            NDArray copy = output.head().duplicate();
            copy.attach(modelManager); // never closed
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
        modelManager = manager;
        inner.initialize(manager, dataType, inputShapes);
    }
}
