package io.trainsight.insight.timeline;

import java.nio.file.Path;

/**
 * What a {@code TrainingLoop} run did.
 *
 * @param steps the number of optimizer steps done, counting those before a resume
 * @param epochs the epoch the run was in when it stopped
 * @param samples the number of training samples seen, counting those before a resume
 * @param originNanos the run's time origin on {@link System#nanoTime()}
 * @param elapsedNanos the time from the origin to the end of the last step
 * @param stepsThisRun the number of steps done since the origin (after a resume, only the new ones)
 * @param stopReason why the run ended
 * @param lastCheckpoint the last checkpoint written, or null if none was
 */
public record TrainingResult(
        long steps,
        int epochs,
        long samples,
        long originNanos,
        long elapsedNanos,
        long stepsThisRun,
        StopReason stopReason,
        Path lastCheckpoint) {

    /** Returns whether the run ended as planned: its budget reached, or stopped early. */
    public boolean completed() {
        return stopReason == StopReason.BUDGET || stopReason == StopReason.EARLY_STOPPING;
    }

    /** Returns the mean number of optimizer steps per second since the origin. */
    public double stepsPerSecond() {
        return elapsedNanos == 0 ? 0 : stepsThisRun * 1e9 / elapsedNanos;
    }
}
