package io.trainsight.trainer.validation;

import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.translate.TranslateException;
import io.trainsight.trainer.internal.step.Evaluation;
import io.trainsight.trainer.internal.step.Inputs;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a trainer's model on a data set with DJL {@link Evaluator}s, without computing
 * gradients or touching the parameters.
 */
public final class Validator {

    private Validator() {}

    /**
     * Runs the model over every batch of the data set and returns each evaluator's value.
     *
     * @param trainer the trainer whose model is evaluated
     * @param dataset the held-out data
     * @param evaluators the evaluators, e.g. {@code new Accuracy()} or the training loss
     * @return the value of each evaluator, by evaluator name, in the given order
     * @throws IOException if the data set cannot be read
     * @throws TranslateException if a batch cannot be built
     */
    public static Map<String, Float> evaluate(
            Trainer trainer, Dataset dataset, List<? extends Evaluator> evaluators)
            throws IOException, TranslateException {
        return evaluate(trainer, dataset, evaluators, false);
    }

    /**
     * Runs the model over every batch of the data set and returns each evaluator's value.
     *
     * @param trainer the trainer whose model is evaluated
     * @param dataset the held-out data
     * @param evaluators the evaluators, e.g. {@code new Accuracy()} or the training loss
     * @param halfInputs whether to cast the inputs to FP16, for a model with FP16 weights
     * @return the value of each evaluator, by evaluator name, in the given order
     * @throws IOException if the data set cannot be read
     * @throws TranslateException if a batch cannot be built
     */
    public static Map<String, Float> evaluate(
            Trainer trainer,
            Dataset dataset,
            List<? extends Evaluator> evaluators,
            boolean halfInputs)
            throws IOException, TranslateException {
        return Evaluation.run(trainer, dataset, evaluators, new Inputs(halfInputs, false));
    }
}
