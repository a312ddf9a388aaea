package io.trainsight.trainer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** A learnable regression, y = 2·x0 − 3·x1 + 1, with a linear model: a fixture for loop tests. */
public final class LinearProblem implements AutoCloseable {

    public static final int FEATURES = 2;

    private final NDManager manager;
    private final Model model;
    private final Trainer trainer;
    private final ArrayDataset dataset;

    /**
     * Builds the data set and an initialized trainer.
     *
     * @param samples the number of samples
     * @param batchSize the batch size
     */
    public LinearProblem(int samples, int batchSize) {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
        NDArray x = manager.randomUniform(-1, 1, new Shape(samples, FEATURES));
        NDArray y = x.get(":, 0").mul(2).sub(x.get(":, 1").mul(3)).add(1).reshape(samples, 1);
        dataset =
                new ArrayDataset.Builder()
                        .setData(x)
                        .optLabels(y)
                        .setSampling(batchSize, false)
                        .build();
        model = Model.newInstance("linear");
        model.setBlock(Linear.builder().setUnits(1).build());
        trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(Loss.l2Loss())
                                .optOptimizer(
                                        Optimizer.sgd()
                                                .setLearningRateTracker(Tracker.fixed(0.1f))
                                                .build()));
        trainer.initialize(new Shape(batchSize, FEATURES));
    }

    public Trainer trainer() {
        return trainer;
    }

    public ArrayDataset dataset() {
        return dataset;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
