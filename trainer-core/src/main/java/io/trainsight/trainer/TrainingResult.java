package io.trainsight.trainer;

/**
 * What a {@link TrainingLoop} run did.
 *
 * @param steps the number of optimizer steps taken
 * @param epochs the number of epochs started
 * @param samples the number of training samples seen
 * @param originNanos the run's time origin on {@link System#nanoTime()}
 * @param elapsedNanos the time from the origin to the end of the last step
 * @param completed whether the budget was reached; false when the run ended with an error
 */
public record TrainingResult(
        long steps,
        int epochs,
        long samples,
        long originNanos,
        long elapsedNanos,
        boolean completed) {

    /** Returns the mean number of optimizer steps per second over the run. */
    public double stepsPerSecond() {
        return elapsedNanos == 0 ? 0 : steps * 1e9 / elapsedNanos;
    }
}
