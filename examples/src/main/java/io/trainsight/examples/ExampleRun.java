package io.trainsight.examples;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;

/**
 * The parts of one example run. Closing it closes the model and the data it owns.
 *
 * @param model the model to train, not yet initialized
 * @param inputShape the shape of one input batch, for initialization
 * @param loss the training loss
 * @param optimizer the optimizer
 * @param trainingSet the training data
 * @param heldOutSet the held-out data the summary evaluates on
 * @param evaluators what the summary reports on the held-out data, e.g. accuracy
 * @param resources what else to close with the run, e.g. the data's manager
 */
public record ExampleRun(
        Model model,
        Shape inputShape,
        Loss loss,
        Optimizer optimizer,
        RandomAccessDataset trainingSet,
        RandomAccessDataset heldOutSet,
        List<Evaluator> evaluators,
        AutoCloseable resources)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        try {
            model.close();
        } finally {
            resources.close();
        }
    }
}
