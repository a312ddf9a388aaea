package io.trainsight.trainer.validation;

import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Evaluator;
import java.util.List;

/**
 * When and on what a run evaluates its model.
 *
 * @param dataset the validation data
 * @param evaluators the DJL evaluators to compute, e.g. {@code new Accuracy()} or a loss
 * @param everySteps validate every this many optimizer steps, or 0 for never by steps
 * @param everyEpochs validate at the end of every this many epochs, or 0 for never by epochs
 */
public record ValidationSettings(
        Dataset dataset, List<Evaluator> evaluators, int everySteps, int everyEpochs) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the wrong field
     */
    public ValidationSettings {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset is required for validation");
        }
        if (evaluators == null || evaluators.isEmpty()) {
            throw new IllegalArgumentException("validation needs at least one evaluator");
        }
        if (everySteps < 0 || everyEpochs < 0 || (everySteps == 0 && everyEpochs == 0)) {
            throw new IllegalArgumentException(
                    "validation needs everySteps > 0 or everyEpochs > 0, got everySteps="
                            + everySteps
                            + ", everyEpochs="
                            + everyEpochs);
        }
        evaluators = List.copyOf(evaluators);
    }

    /**
     * Validates after every given number of optimizer steps.
     *
     * @param dataset the validation data
     * @param everySteps the number of steps between validations
     * @param evaluators the evaluators
     * @return the settings
     */
    public static ValidationSettings everySteps(
            Dataset dataset, int everySteps, Evaluator... evaluators) {
        return new ValidationSettings(dataset, List.of(evaluators), everySteps, 0);
    }

    /**
     * Validates at the end of every given number of epochs.
     *
     * @param dataset the validation data
     * @param everyEpochs the number of epochs between validations
     * @param evaluators the evaluators
     * @return the settings
     */
    public static ValidationSettings everyEpochs(
            Dataset dataset, int everyEpochs, Evaluator... evaluators) {
        return new ValidationSettings(dataset, List.of(evaluators), 0, everyEpochs);
    }
}
