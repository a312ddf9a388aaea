package io.trainsight.trainer.progress;

import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingResult;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a progress line through SLF4J at INFO every tenth of the planned steps (every 100 steps when
 * the length is unknown), and at least every ten seconds: step, share done, epoch, loss and the
 * rate since the run began. What a {@code TrainingLoop} logs by default.
 */
public final class ProgressLog implements StepListener {

    /** The longest time between two lines. */
    public static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private static final Logger logger = LoggerFactory.getLogger(ProgressLog.class);
    private static final long UNKNOWN_LENGTH_INTERVAL = 100;

    private final long timeInterval;
    private long plannedSteps = -1;
    private long stepInterval = UNKNOWN_LENGTH_INTERVAL;
    private long origin;
    private long firstStep;
    private long lastLoggedStep;
    private long lastLoggedAt;

    /** Creates a progress log with a line at least every ten seconds. */
    public ProgressLog() {
        this(DEFAULT_INTERVAL_NANOS);
    }

    /**
     * Creates a progress log.
     *
     * @param timeIntervalNanos the longest time between two lines
     */
    public ProgressLog(long timeIntervalNanos) {
        this.timeInterval = timeIntervalNanos;
    }

    @Override
    public void onTrainingBegin(RunStart start) {
        origin = start.originNanos();
        lastLoggedAt = origin;
        firstStep = start.firstStep();
        lastLoggedStep = firstStep;
        plannedSteps = start.plannedSteps();
        if (plannedSteps > 0) {
            stepInterval = Math.max(1, (plannedSteps - firstStep) / 10);
        }
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
        double rate = seconds == 0 ? 0 : (step - firstStep) / seconds;
        if (plannedSteps > 0) {
            logger.info(
                    "step {}/{} ({}%) epoch {} loss {} {} steps/s",
                    step,
                    plannedSteps,
                    step * 100 / plannedSteps,
                    record.epoch(),
                    String.format(Locale.ROOT, "%.4f", record.loss()),
                    String.format(Locale.ROOT, "%.1f", rate));
        } else {
            logger.info(
                    "step {} epoch {} loss {} {} steps/s",
                    step,
                    record.epoch(),
                    String.format(Locale.ROOT, "%.4f", record.loss()),
                    String.format(Locale.ROOT, "%.1f", rate));
        }
        lastLoggedStep = step;
        lastLoggedAt = record.endNanos();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        if (result.steps() != lastLoggedStep) {
            logger.info(
                    "step {}{} done ({})",
                    result.steps(),
                    plannedSteps > 0 ? "/" + plannedSteps : "",
                    result.stopReason());
        }
    }
}
