package io.trainsight.examples;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;

/**
 * The parts of one example run: the example's model for the data, a softmax cross-entropy loss,
 * Adam with the user's learning rate, and accuracy on the held-out data. Closing it closes the
 * model and the data.
 *
 * @param model the model to train, not yet initialized
 * @param inputShape the shape of one input batch, for initialization
 * @param loss the training loss
 * @param optimizer the optimizer
 * @param data the training and held-out data
 * @param evaluators what the summary reports on the held-out data
 */
public record ExampleRun(
        Model model,
        Shape inputShape,
        Loss loss,
        Optimizer optimizer,
        ExampleData data,
        List<Evaluator> evaluators)
        implements AutoCloseable {

    /**
     * Assembles a run of an example on some data.
     *
     * @param example the example, whose architecture is used
     * @param settings the user's hyperparameters
     * @param data the data, which the run then owns
     * @return the run
     */
    public static ExampleRun of(Example example, ExampleSettings settings, ExampleData data) {
        Model model = Model.newInstance(example.name(), settings.device());
        model.setBlock(example.block(data.sampleShape(), data.classes()));
        return new ExampleRun(
                model,
                new Shape(settings.batchSize()).addAll(data.sampleShape()),
                Loss.softmaxCrossEntropyLoss(),
                Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                        .build(),
                data,
                List.of(new Accuracy()));
    }

    @Override
    public void close() throws Exception {
        try {
            model.close();
        } finally {
            data.close();
        }
    }
}
