package io.trainsight.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;

/**
 * A learnable regression, y = 2·x0 − 3·x1 + 1, for a linear model: a fixture for loop tests. The
 * data is the same for the same seed.
 */
public final class LinearProblem implements AutoCloseable {

    public static final int FEATURES = 2;

    private final NDManager manager = NDManager.newBaseManager();
    private final ArrayDataset dataset;
    private final Model model;
    private final int batchSize;

    /**
     * Builds the data set and an untrained model.
     *
     * @param samples the number of samples
     * @param batchSize the batch size
     */
    public LinearProblem(int samples, int batchSize) {
        this.batchSize = batchSize;
        Random random = new Random(7);
        float[] x = new float[samples * FEATURES];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[2 * i] = random.nextFloat() * 2 - 1;
            x[2 * i + 1] = random.nextFloat() * 2 - 1;
            y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 1;
        }
        NDArray data = manager.create(x).reshape(samples, FEATURES);
        NDArray labels = manager.create(y).reshape(samples, 1);
        dataset =
                new ArrayDataset.Builder()
                        .setData(data)
                        .optLabels(labels)
                        .setSampling(batchSize, false)
                        .build();
        model = Model.newInstance("linear");
        model.setBlock(Linear.builder().setUnits(1).build());
    }

    /** Returns a builder with the model, an L2 loss, SGD (lr 0.1) and the data set. */
    public TrainingLoopBuilder loop() {
        return withoutData().setTrainingSet(dataset);
    }

    /** Returns a builder with the model, loss and optimizer set, for data of the test's own. */
    public TrainingLoopBuilder withoutData() {
        return TrainingLoop.builder()
                .setModel(model)
                .setLoss(Loss.l2Loss())
                .setOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                .setInputShapes(new Shape(batchSize, FEATURES));
    }

    public ArrayDataset dataset() {
        return dataset;
    }

    public Model model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
