package io.trainsight.insight.timeline;

/**
 * Receives the events of a training loop (trainsight's {@code TrainingLoop}, or any loop that feeds
 * the timeline) on the training thread. Every method has a no-op default, so a listener implements
 * only what it needs.
 *
 * <p>A listener runs inside the step loop: keep {@link #onStep(StepRecord)} cheap. An exception
 * thrown by a listener ends the run.
 */
public interface StepListener {

    /**
     * Called once before the first step.
     *
     * @param start the run's time origin and what the loop knows of its plan
     */
    default void onTrainingBegin(RunStart start) {}

    /**
     * Called after every optimizer step.
     *
     * @param record what the step did and how long each part took
     */
    default void onStep(StepRecord record) {}

    /**
     * Called after every validation.
     *
     * @param result the evaluators' values
     */
    default void onValidation(ValidationResult result) {}

    /**
     * Called before a checkpoint is written, between two steps: a listener that works on another
     * thread finishes the steps the checkpoint will cover.
     *
     * @param step the last step the checkpoint will hold
     */
    default void beforeCheckpoint(long step) {}

    /**
     * Called after a checkpoint was written, between two steps.
     *
     * @param step the last step the checkpoint holds
     * @param nanos how long writing it took
     */
    default void onCheckpoint(long step, long nanos) {}

    /**
     * Called when an epoch ends, either because the data ran out or because the budget did.
     *
     * @param epoch the 1-based epoch that ended
     */
    default void onEpochEnd(int epoch) {}

    /**
     * Called when the run ends with an error, just before {@link #onTrainingEnd}; the error is then
     * thrown from the loop's {@code run()}.
     *
     * @param error what ended the run, such as a {@link TrainingOutOfMemoryException}
     */
    default void onTrainingFailure(Throwable error) {}

    /**
     * Called once after the last step, also when the run ended with an error.
     *
     * @param result what the run did
     */
    default void onTrainingEnd(TrainingResult result) {}
}
