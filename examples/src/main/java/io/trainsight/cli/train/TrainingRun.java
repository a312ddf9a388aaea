package io.trainsight.cli.train;

import ai.djl.Device;
import io.trainsight.cli.progress.ProgressReporter;
import io.trainsight.data.DataLoader;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleRun;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.MemoryFormat;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.engine.EngineInfo;
import io.trainsight.trainer.engine.EngineThreads;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs one planned {@code train} run: the loop with its run directory (the insight
 * samples with the command's monitor, so the live server shows the same samples), the progress
 * reporter, and the printed summary, table and report paths at the end, also after a failure.
 */
final class TrainingRun {

    private static final Logger logger = LoggerFactory.getLogger(TrainingRun.class);
    private static final int LOSS_WINDOW = 50;

    /**
     * What watches a run.
     *
     * @param settings the watching options
     * @param monitor the monitor, or null with --no-monitor
     * @param server the live server, or null
     * @param engine the engine and device
     * @param loaderWorkers the loader's worker threads, for the environment
     * @param threads libtorch's threads
     * @param memoryFormat the layout of image batches
     */
    record Watch(
            InsightOptions.Settings settings,
            GpuMonitor monitor,
            LiveServer server,
            EngineInfo engine,
            int loaderWorkers,
            EngineThreads threads,
            MemoryFormat memoryFormat) {}

    private final RunPlan plan;
    private final Example example;
    private final Watch watch;
    private final PrintWriter out;

    TrainingRun(RunPlan plan, Example example, Watch watch, PrintWriter out) {
        this.plan = plan;
        this.example = example;
        this.watch = watch;
        this.out = out;
    }

    /**
     * Makes the run directory the run's own ({@link RunPlanner#open}), trains, and prints the
     * results; a stop signal ends the run after the step in flight.
     *
     * @param run the example's model and data
     * @param loader the training data's loader
     * @param trainOn the device
     * @param planner opens the run directory
     * @param signals the stop signals
     * @return the exit code: 0, or 130/143 when a signal stopped the run
     * @throws IOException if a file cannot be written or the data read
     */
    int train(
            ExampleRun run,
            DataLoader loader,
            Device trainOn,
            RunPlanner planner,
            StopSignals signals)
            throws IOException {
        RunConfig config = plan.config();
        long stepsPerEpoch =
                (loader.batchesPerEpoch() + config.accumulate() - 1) / config.accumulate();
        planner.open(plan, stepsPerEpoch);
        long planned = TrainingOptions.plannedSteps(config, stepsPerEpoch);
        RunTally tally = new RunTally(LOSS_WINDOW);
        logger.info(
                "Training {} for {} steps ({} per epoch), batch size {}{}, {}, {} loader worker(s),"
                        + " writing {}",
                example.name(),
                planned,
                stepsPerEpoch,
                config.batchSize(),
                config.accumulate() > 1 ? " x " + config.accumulate() + " micro-batches" : "",
                config.precision(),
                watch.loaderWorkers(),
                plan.runDir());
        boolean terminal = System.console() != null;
        TrainingLoopBuilder builder =
                LoopSettings.builder(config, run, trainOn, plan.runDir())
                        .setTrainingLoader(loader)
                        .optThreads(watch.threads())
                        .optMemoryFormat(watch.memoryFormat())
                        .optRunDirectory(plan.runDir())
                        .optInsight(this::insightSettings)
                        .optProgressLog(!terminal)
                        .optPhaseSyncEvery(watch.settings().phaseSyncEvery())
                        .addListener(tally);
        if (terminal) {
            builder.addListener(ProgressReporter.create(true, planned, System.err));
        }
        if (watch.server() != null) {
            builder.optMeterRegistry(watch.server().registry());
        }
        try (TrainingLoop loop = builder.build()) {
            signals.attach(loop::requestStop);
            RunInsight insight = loop.insight().orElseThrow();
            if (watch.server() != null) {
                watch.server().attach(insight);
            }
            TrainingResult result;
            try {
                result = plan.checkpoint() == null ? loop.run() : loop.resume(plan.checkpoint());
            } catch (RuntimeException | IOException e) {
                insight.printTable(out);
                printReportFiles(insight);
                RunDirectory.printResumable(plan.runDir(), out);
                throw e;
            }
            boolean stopped = result.stopReason() == StopReason.INTERRUPTED;
            Map<String, Float> heldOut =
                    stopped ? Map.of() : loop.evaluate(run.data().heldOutSet(), run.evaluators());
            new TrainSummary(
                            example.name(),
                            watch.engine(),
                            result,
                            tally,
                            heldOut,
                            run.data().heldOutSet().size(),
                            config.testData() == null ? "held-out" : "test set",
                            plan.runDir())
                    .print(out);
            insight.printTable(out);
            printReportFiles(insight);
            if (stopped) {
                signals.printStopped(result, plan.runDir());
                return signals.exitCode();
            }
            return 0;
        }
    }

    private void insightSettings(RunInsight.Builder insight) {
        InsightOptions.Settings settings = watch.settings();
        insight.optThresholds(settings.thresholds())
                .optRunName(example.name())
                .optConfiguration(plan.config().asMap())
                .optEnvironment(
                        Map.of(
                                "loader_workers",
                                watch.loaderWorkers(),
                                "engine_threads",
                                watch.threads().intraOp(),
                                "phase_sync_every",
                                settings.phaseSyncEvery()))
                .optAdvice(Advice.CLI);
        if (watch.monitor() != null) {
            insight.optMonitor(watch.monitor());
        } else {
            insight.optMonitoring(false);
        }
        if (settings.memoryLimit() != null) {
            insight.optMemoryLimit(settings.memoryLimit());
        }
    }

    private void printReportFiles(RunInsight insight) {
        if (insight.writeError() == null) {
            out.println("  report    " + plan.runDir().resolve(HtmlReport.FILE_NAME));
            out.println("  summary   " + plan.runDir().resolve(SummaryJson.FILE_NAME));
        } else {
            out.println("  report    not written: " + insight.writeError().getMessage());
        }
        out.flush();
    }
}
