package io.trainsight.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A classification fixture: 4 overlapping Gaussian clusters in 16 dimensions and an MLP 16-32-4
 * trained with Adam. The same seed gives the same data; {@link #newModel()} gives fresh,
 * uninitialized models of the same architecture, for runs that must be compared.
 */
public final class MlpProblem implements AutoCloseable {

    /** The features of a sample. */
    public static final int FEATURES = 16;

    static final int CLASSES = 4;

    /** Centres this close overlap: the loss plateaus well above zero, like a real task's. */
    private static final float SPREAD = 0.4f;

    private final NDManager manager = NDManager.newBaseManager();
    private final float[][] centres = new float[CLASSES][FEATURES];
    private final Random random = new Random(11);
    private final NDArray data;
    private final NDArray labels;
    private final List<Model> models = new ArrayList<>();

    public MlpProblem(int samples) {
        for (float[] centre : centres) {
            for (int f = 0; f < FEATURES; f++) {
                centre[f] = (float) random.nextGaussian() * SPREAD;
            }
        }
        NDArray[] drawn = draw(samples);
        data = drawn[0];
        labels = drawn[1];
    }

    private NDArray[] draw(int samples) {
        float[] x = new float[samples * FEATURES];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = i % CLASSES;
            for (int f = 0; f < FEATURES; f++) {
                x[i * FEATURES + f] = centres[i % CLASSES][f] + (float) random.nextGaussian();
            }
        }
        return new NDArray[] {manager.create(x).reshape(samples, FEATURES), manager.create(y)};
    }

    /** Returns new samples of the same clusters, not trained on, in batches of 256. */
    public ArrayDataset heldOut(int samples) {
        NDArray[] drawn = draw(samples);
        return new ArrayDataset.Builder()
                .setData(drawn[0])
                .optLabels(drawn[1])
                .setSampling(256, false)
                .build();
    }

    /** Returns the data in batches of the given size, shuffled every epoch or not. */
    public ArrayDataset dataset(int batchSize, boolean shuffle) {
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(labels)
                .setSampling(batchSize, shuffle)
                .build();
    }

    /** Returns a new model of the fixture's architecture, closed with the fixture. */
    public Model newModel() {
        return newModel(
                new SequentialBlock()
                        .add(Linear.builder().setUnits(32).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(CLASSES).build()));
    }

    /** Returns a new model of the given block, closed with the fixture. */
    public Model newModel(Block block) {
        Model model = Model.newInstance("mlp");
        model.setBlock(block);
        models.add(model);
        return model;
    }

    /** Returns a builder training a new model on the data with Adam (lr 0.01). */
    public TrainingLoopBuilder loop(int batchSize, boolean shuffle) {
        return loop(newModel(), batchSize, shuffle);
    }

    /** Returns a builder training a new model of the given block, otherwise like {@link #loop}. */
    public TrainingLoopBuilder loop(Block block, int batchSize, boolean shuffle) {
        return loop(newModel(block), batchSize, shuffle);
    }

    private TrainingLoopBuilder loop(Model model, int batchSize, boolean shuffle) {
        return withoutData(model, batchSize).setTrainingSet(dataset(batchSize, shuffle));
    }

    /** Returns a builder training a new model with Adam (lr 0.01), for data of the test's own. */
    public TrainingLoopBuilder withoutData(int batchSize) {
        return withoutData(newModel(), batchSize);
    }

    private static TrainingLoopBuilder withoutData(Model model, int batchSize) {
        return TrainingLoop.builder()
                .setModel(model)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .setOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                .setInputShapes(new Shape(batchSize, FEATURES));
    }

    @Override
    public void close() {
        models.forEach(Model::close);
        manager.close();
    }
}
