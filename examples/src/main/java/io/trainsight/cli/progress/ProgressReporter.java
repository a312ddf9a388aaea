package io.trainsight.cli.progress;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.trainer.progress.ProgressLog;
import java.io.PrintStream;

/** Shows how far a run has come: a progress bar on a terminal, periodic log lines elsewhere. */
public final class ProgressReporter {

    private ProgressReporter() {}

    /**
     * Picks the reporter for where the output goes.
     *
     * @param terminal whether the output is a terminal a person watches
     * @param plannedSteps the number of steps the run will take
     * @param err the stream a progress bar draws on
     * @return a listener that reports progress; close it at the end of the run
     */
    public static StepListener create(boolean terminal, long plannedSteps, PrintStream err) {
        return terminal ? new TerminalProgress(plannedSteps, err) : new ProgressLog();
    }
}
