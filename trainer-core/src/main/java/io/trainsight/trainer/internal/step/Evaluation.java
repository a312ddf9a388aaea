package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a trainer's model over every batch of a data set without gradients and feeds evaluators,
 * with the inputs prepared as the training steps prepare them.
 */
public final class Evaluation {

    private static final String KEY = "trainsight-validation";

    private Evaluation() {}

    /**
     * Evaluates the model.
     *
     * @param trainer the trainer whose model is evaluated
     * @param dataset the data
     * @param evaluators the evaluators
     * @param inputs how the inputs are prepared
     * @return the value of each evaluator, by evaluator name, in the given order
     * @throws IOException if the data set cannot be read
     * @throws TranslateException if a batch cannot be built
     */
    public static Map<String, Float> run(
            Trainer trainer, Dataset dataset, List<? extends Evaluator> evaluators, Inputs inputs)
            throws IOException, TranslateException {
        for (Evaluator evaluator : evaluators) {
            evaluator.addAccumulator(KEY);
        }
        for (Batch batch : trainer.iterateDataset(dataset)) {
            try {
                for (Batch split : batch.split(trainer.getDevices(), false)) {
                    NDList labels = split.getLabels();
                    NDList predictions = trainer.evaluate(inputs.prepare(split.getData()));
                    for (Evaluator evaluator : evaluators) {
                        evaluator.updateAccumulator(KEY, labels, predictions);
                    }
                }
            } finally {
                batch.close();
            }
        }
        Map<String, Float> values = new LinkedHashMap<>();
        for (Evaluator evaluator : evaluators) {
            values.put(evaluator.getName(), evaluator.getAccumulator(KEY));
            evaluator.resetAccumulator(KEY);
        }
        return values;
    }
}
