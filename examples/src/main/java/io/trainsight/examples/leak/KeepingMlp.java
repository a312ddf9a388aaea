package io.trainsight.examples.leak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLP that keeps a copy of each training step's layer outputs "for inspection", attached to the
 * model's manager so it outlives the batch: DJL's most common leak. Kept this way, nothing ever
 * closes them: the model's manager grows by three arrays every step, and native memory with it. The
 * fixed version keeps only the latest step's copies and closes the previous ones.
 *
 * <p>The copies matter: attaching the outputs themselves to the model's manager would also put
 * everything computed from them (the loss and its parts) in that manager, a leak of its own.
 */
final class KeepingMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block first;
    private final Block second;
    private final Block out;
    private final boolean closeOld;
    private final List<NDArray> kept = new ArrayList<>();
    private NDManager modelManager;

    KeepingMlp(int hidden, int classes, boolean closeOld) {
        super(VERSION);
        this.first = addChildBlock("first", Linear.builder().setUnits(hidden).build());
        this.second = addChildBlock("second", Linear.builder().setUnits(hidden).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(classes).build());
        this.closeOld = closeOld;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList x = new NDList(inputs.head().reshape(inputs.head().getShape().get(0), -1));
        NDList h1 = Activation.relu(first.forward(parameterStore, x, training, params));
        NDList h2 = Activation.relu(second.forward(parameterStore, h1, training, params));
        NDList logits = out.forward(parameterStore, h2, training, params);
        if (training) {
            keep(h1.head(), h2.head(), logits.head());
        }
        return logits;
    }

    /** Keeps copies of the step's outputs past the batch: attached to the model's manager. */
    private void keep(NDArray... outputs) {
        if (closeOld) {
            kept.forEach(NDArray::close);
            kept.clear();
        }
        for (NDArray output : outputs) {
            NDArray copy = output.duplicate();
            copy.attach(modelManager);
            kept.add(copy);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape flat =
                new Shape(inputShapes[0].get(0), inputShapes[0].size() / inputShapes[0].get(0));
        Shape[] hidden = first.getOutputShapes(new Shape[] {flat});
        return out.getOutputShapes(second.getOutputShapes(hidden));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        modelManager = manager;
        Shape flat =
                new Shape(inputShapes[0].get(0), inputShapes[0].size() / inputShapes[0].get(0));
        first.initialize(manager, dataType, flat);
        Shape[] hidden = first.getOutputShapes(new Shape[] {flat});
        second.initialize(manager, dataType, hidden);
        out.initialize(manager, dataType, second.getOutputShapes(hidden));
    }
}
