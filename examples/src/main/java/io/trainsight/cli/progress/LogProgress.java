package io.trainsight.cli.progress;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a progress line every tenth of the run, and at least every few seconds, for output that is
 * not a terminal (a CI log, a file, a container's log).
 */
final class LogProgress implements StepListener {

    static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private static final Logger logger = LoggerFactory.getLogger(LogProgress.class);

    private final long plannedSteps;
    private final long stepInterval;
    private final long timeInterval;
    private long origin;
    private long lastLoggedStep;
    private long lastLoggedAt;

    LogProgress(long plannedSteps, long timeIntervalNanos) {
        this.plannedSteps = plannedSteps;
        this.stepInterval = Math.max(1, plannedSteps / 10);
        this.timeInterval = timeIntervalNanos;
    }

    @Override
    public void onTrainingBegin(long originNanos) {
        origin = originNanos;
        lastLoggedAt = originNanos;
    }

    @Override
    public void onStep(StepRecord record) {
        long step = record.step();
        boolean due =
                step - lastLoggedStep >= stepInterval
                        || record.endNanos() - lastLoggedAt >= timeInterval;
        if (!due) {
            return;
        }
        double seconds = (record.endNanos() - origin) / 1e9;
        logger.info(
                "step {}/{} ({}%) epoch {} loss {} {} steps/s",
                step,
                plannedSteps,
                step * 100 / plannedSteps,
                record.epoch(),
                String.format("%.4f", record.loss()),
                String.format("%.1f", seconds == 0 ? 0 : step / seconds));
        lastLoggedStep = step;
        lastLoggedAt = record.endNanos();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        if (result.steps() != lastLoggedStep) {
            logger.info("step {}/{} done", result.steps(), plannedSteps);
        }
    }
}
