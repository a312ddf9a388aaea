package io.trainsight.bench.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;

/**
 * One benchmark case: an MLP 784-hidden-10 trained with Adam on random data in batches of a fixed
 * size. Every contender gets a fresh model of the same case.
 */
public record MlpCase(String name, int hidden, int batch, int steps) {

    static final int FEATURES = 784;
    static final int CLASSES = 10;
    static final int BATCHES = 50;

    /**
     * Floating-point operations of the matrix products of one training step: per sample, 2 per
     * weight forward, 2 per weight for the weights' gradients, and 2 per weight of the second layer
     * for the gradient of its input. The first layer's input needs no gradient, so the rule of
     * thumb "6 per weight" would count a third of that layer's work that no one does.
     */
    public double flopsPerStep() {
        double first = (double) FEATURES * hidden;
        double second = (double) hidden * CLASSES;
        return (4 * (first + second) + 2 * second) * batch;
    }

    public ArrayDataset dataset(NDManager manager) {
        return new ArrayDataset.Builder()
                .setData(manager.randomNormal(new Shape((long) BATCHES * batch, FEATURES)))
                .optLabels(
                        manager.randomInteger(
                                0,
                                CLASSES,
                                new Shape((long) BATCHES * batch),
                                ai.djl.ndarray.types.DataType.FLOAT32))
                .setSampling(batch, false)
                .build();
    }

    public Model newModel() {
        Model model = Model.newInstance(name);
        model.setBlock(
                new SequentialBlock()
                        .add(Linear.builder().setUnits(hidden).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(CLASSES).build()));
        return model;
    }

    public Optimizer optimizer() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
    }

    public Shape inputShape() {
        return new Shape(batch, FEATURES);
    }

    /**
     * Returns a builder training a model of this case on a data set for {@link #steps()} steps.
     *
     * @param model a new model of this case
     * @param dataset the case's data
     * @return the builder, to which contenders add their listeners
     */
    public TrainingLoopBuilder loop(Model model, Dataset dataset) {
        return loop(model, dataset, steps);
    }

    /**
     * Returns a builder training a model of this case on a data set for a number of steps.
     *
     * @param model a new model of this case
     * @param dataset the case's data
     * @param totalSteps the steps, warm-up included
     * @return the builder
     */
    public TrainingLoopBuilder loop(Model model, Dataset dataset, int totalSteps) {
        return TrainingLoop.builder()
                .setModel(model)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .setOptimizer(optimizer())
                .setInputShapes(inputShape())
                .setTrainingSet(dataset)
                .optSteps(totalSteps);
    }

    public Trainer newTrainer(Model model) {
        Trainer trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                .optOptimizer(optimizer()));
        trainer.initialize(inputShape());
        return trainer;
    }
}
