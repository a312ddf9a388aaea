package io.trainsight.examples.gcpressure;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Wraps a model and runs the heap churn on every training forward pass. */
final class ChurningBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block inner;
    private final HeapChurn churn;

    ChurningBlock(Block inner, HeapChurn churn) {
        super(VERSION);
        this.inner = addChildBlock("model", inner);
        this.churn = churn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (training) {
            churn.step();
        }
        return inner.forward(parameterStore, inputs, training, params);
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
