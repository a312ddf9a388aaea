package io.trainsight.cli.progress;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingResult;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with the step count, the speed and the latest loss, for a terminal. */
final class TerminalProgress implements StepListener {

    private final ProgressBar bar;

    TerminalProgress(long plannedSteps, PrintStream err) {
        bar =
                new ProgressBarBuilder()
                        .setTaskName("train")
                        .setInitialMax(plannedSteps)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setConsumer(new ConsoleProgressBarConsumer(err))
                        .setUnit(" steps", 1)
                        .setUpdateIntervalMillis(200)
                        .showSpeed()
                        .build();
    }

    @Override
    public void onStep(StepRecord record) {
        bar.stepTo(record.step());
        bar.setExtraMessage(String.format(" loss %.4f", record.loss()));
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        bar.close();
    }
}
