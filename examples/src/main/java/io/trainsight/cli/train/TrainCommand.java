package io.trainsight.cli.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.trainsight.cli.progress.ProgressReporter;
import io.trainsight.cli.serve.ServeOptions;
import io.trainsight.data.DataLoader;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.Examples;
import io.trainsight.examples.data.FileData;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.internal.jvm.EngineThreads;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.report.HtmlReport;
import io.trainsight.insight.report.SummaryJson;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.engine.DeviceChoice;
import io.trainsight.trainer.engine.EngineInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code trainsight train}: trains an example model and writes its step log and checkpoints. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train an example model on DJL's PyTorch engine, write one line per step to"
                    + " OUT/steps.jsonl, checkpoints to OUT/checkpoints, and print a summary.",
            "Without --steps or --epochs the run takes 3 epochs; with both it stops at the"
                    + " first reached. --resume OUT continues a run from its newest checkpoint."
        })
public final class TrainCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(TrainCommand.class);
    private static final int LOSS_WINDOW = 50;

    @Spec private CommandSpec spec;

    @Mixin private TrainingOptions options;

    @Mixin private LoaderOptions loading;

    @Mixin private InsightOptions watching;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description =
                    "Continue the run in DIR (a run directory) from its newest checkpoint, with"
                            + " its saved settings; only --steps, --epochs, --device, --workers"
                            + " and --prefetch may be given with it.")
    private Path resume;

    @Option(
            names = "--device",
            paramLabel = "cpu|gpu|auto",
            defaultValue = "auto",
            converter = DeviceChoiceConverter.class,
            description =
                    "Where to train: cpu, gpu (the first CUDA GPU; an error without one) or auto"
                            + " (a GPU when there is one). Default: ${DEFAULT-VALUE}.")
    private DeviceChoice device;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Run directory (default: runs/EXAMPLE-YYYYMMDD-HHMMSS).")
    private Path out;

    @Override
    public Integer call() throws Exception {
        RunPlan plan = resume != null ? resumePlan() : freshPlan();
        loading.check(this::usage);
        InsightOptions.Settings watch = watching.check(this::usage, serveOptionsGiven());
        RunConfig config = plan.config();
        Example example = Examples.builtIn().find(config.example()).orElseThrow();
        Engine engine = Engine.getInstance();
        Device trainOn;
        try {
            trainOn = device.resolve(engine);
        } catch (IllegalArgumentException e) {
            throw usage("--device: " + e.getMessage());
        }
        EngineInfo engineInfo = EngineInfo.of(engine, trainOn);
        logger.info("{}", engineInfo.describe());
        ExampleSettings settings =
                new ExampleSettings(
                        config.batchSize(), config.learningRate(), config.seed(), trainOn);
        try (GpuMonitor monitor =
                        watch.monitor()
                                ? GpuMonitor.builder().optInterval(watch.interval()).build()
                                : null;
                LiveServer server = startServer(watch, monitor)) {
            if (monitor != null) {
                monitor.start();
            }
            ExampleRun run = prepare(example, settings, config);
            try (run;
                    DataLoader loader = loading.loader(run.data().trainingSet(), config, trainOn);
                    StepLogWriter stepLog = openRunDirectory(plan)) {
                Watch watched = new Watch(watch, monitor, server, engineInfo);
                train(plan, example, run, loader, stepLog, watched, trainOn);
            }
        }
        return 0;
    }

    private boolean serveOptionsGiven() {
        for (String option : ServeOptions.NAMES) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    /** Listens before anything is written, so a port in use is a usage error with no run left. */
    private LiveServer startServer(InsightOptions.Settings watch, GpuMonitor monitor)
            throws IOException {
        if (watch.serve() == null) {
            return null;
        }
        LiveServer server = new LiveServer(watch.serve(), monitor);
        try {
            server.start();
        } catch (BindException e) {
            server.close();
            throw usage("--port " + watch.serve().port() + ": " + e.getMessage());
        }
        logger.info(
                "Serving the run live at {}/ (dashboard), /metrics, /gpu-status and"
                        + " /steps?since=N{}; it stops when the run ends",
                server.url(),
                watch.serve().token() != null ? " (bearer token required)" : "");
        return server;
    }

    /**
     * What watches a run.
     *
     * @param settings the options
     * @param monitor the monitor, or null
     * @param server the live server, or null
     * @param engine the engine and device
     */
    private record Watch(
            InsightOptions.Settings settings,
            GpuMonitor monitor,
            LiveServer server,
            EngineInfo engine) {}

    private void train(
            RunPlan plan,
            Example example,
            ExampleRun run,
            DataLoader loader,
            StepLogWriter stepLog,
            Watch watch,
            Device trainOn)
            throws IOException {
        RunConfig config = plan.config();
        long stepsPerEpoch =
                (loader.batchesPerEpoch() + config.accumulate() - 1) / config.accumulate();
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
                loading.workers,
                plan.runDir());
        PrintWriter out = spec.commandLine().getOut();
        TrainingLoopBuilder builder =
                LoopSettings.builder(config, run, trainOn, plan.runDir())
                        .setTrainingLoader(loader)
                        .addListener(stepLog)
                        .addListener(tally)
                        .addListener(
                                ProgressReporter.create(
                                        System.console() != null, planned, System.err));
        if (watch.server() != null) {
            builder.optMeterRegistry(watch.server().registry());
        }
        RunInsight insight = openInsight(plan, example, watch, planned, run);
        stepLog.addColumns(insight.columns());
        try (TrainingLoop loop = builder.addListener(insight).build()) {
            if (watch.server() != null) {
                watch.server().attach(insight);
            }
            TrainingResult result;
            try {
                result = plan.checkpoint() == null ? loop.run() : loop.resume(plan.checkpoint());
            } catch (RuntimeException | IOException e) {
                insight.printTable(out);
                printReportFiles(insight, plan.runDir(), out);
                throw e;
            }
            Map<String, Float> heldOut = loop.evaluate(run.data().heldOutSet(), run.evaluators());
            new TrainSummary(
                            example.name(),
                            watch.engine(),
                            result,
                            tally,
                            heldOut,
                            run.data().heldOutSet().size(),
                            plan.runDir())
                    .print(out);
            insight.printTable(out);
            printReportFiles(insight, plan.runDir(), out);
        }
    }

    private RunInsight openInsight(
            RunPlan plan, Example example, Watch watch, long planned, ExampleRun run) {
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put(
                "engine", watch.engine().engineName() + " " + watch.engine().engineVersion());
        environment.put("djl", watch.engine().djlVersion());
        environment.put("device", watch.engine().device().toString());
        environment.put("cuda_gpus_seen", watch.engine().gpuCount());
        environment.put("loader_workers", loading.workers);
        RunInsight.Builder builder =
                RunInsight.builder()
                        .setRunDirectory(plan.runDir())
                        .optMonitor(watch.monitor())
                        .optThresholds(watch.settings().thresholds())
                        .optPlannedSteps(planned)
                        .optRunName(example.name())
                        .optConfiguration(plan.config().asMap())
                        .optEnvironment(environment)
                        .addArrayManager(
                                run.model().getNDManager(), "model '" + example.name() + "'")
                        .optCpuThreads(
                                EngineThreads.of(run.model().getNDManager().getEngine()),
                                loading.workers);
        if (watch.settings().memoryLimit() != null) {
            builder.optMemoryLimit(watch.settings().memoryLimit());
        }
        return builder.build();
    }

    private static void printReportFiles(RunInsight insight, Path runDir, PrintWriter out) {
        if (insight.writeError() == null) {
            out.println("  report    " + runDir.resolve(HtmlReport.FILE_NAME));
            out.println("  summary   " + runDir.resolve(SummaryJson.FILE_NAME));
        } else {
            out.println("  report    not written: " + insight.writeError().getMessage());
        }
        out.flush();
    }

    /** Builds the model and the data; wrong data is the user's input, so a usage error. */
    private ExampleRun prepare(Example example, ExampleSettings settings, RunConfig config)
            throws IOException {
        ExampleData data;
        if (config.data() == null) {
            data = example.generate(settings);
        } else {
            try {
                data =
                        FileData.open(
                                Paths.get(config.data()),
                                config.format(),
                                FormatOptions.builder()
                                        .optLabelColumn(config.labelColumn())
                                        .optImageSize(config.imageSize(), config.imageSize())
                                        .optSampling(config.batchSize(), false)
                                        .build(),
                                config.heldOut(),
                                config.seed());
            } catch (IOException | IllegalArgumentException e) {
                throw usage("--data: " + e.getMessage());
            }
        }
        try {
            return ExampleRun.of(example, settings, data);
        } catch (IllegalArgumentException e) {
            closeQuietly(data);
            throw usage("--example " + example.name() + ": " + e.getMessage());
        }
    }

    private StepLogWriter openRunDirectory(RunPlan plan) throws IOException {
        Path runDir = RunDirectory.create(plan.runDir());
        Path stepLog = runDir.resolve(StepLogWriter.FILE_NAME);
        if (plan.checkpoint() != null) {
            long step = Checkpointer.stepOf(plan.checkpoint());
            logger.info(
                    "Resuming {} from step {} ({})", runDir, step, plan.checkpoint().getFileName());
            return StepLogWriter.continuing(stepLog, step);
        }
        if (Files.exists(stepLog)) {
            logger.warn("Replacing the earlier run in {}", runDir);
        }
        plan.config().write(runDir);
        return new StepLogWriter(stepLog);
    }

    private RunPlan freshPlan() {
        RunConfig config = options.toConfig(this::usage);
        Path runDir = out != null ? out : defaultRunDir(config.example());
        String problem = RunDirectory.problemWith(runDir);
        if (problem != null) {
            throw usage("--out " + problem);
        }
        return new RunPlan(config, runDir, null);
    }

    private RunPlan resumePlan() throws IOException {
        for (String option : TrainingOptions.FIXED_ON_RESUME) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw usage(
                        option
                                + " cannot be given with --resume: the run continues with the"
                                + " settings saved in its run.json (only --steps, --epochs,"
                                + " --device, --workers and --prefetch may change)");
            }
        }
        if (out != null) {
            throw usage("--out cannot be given with --resume: the run continues in " + resume);
        }
        if (!Files.isRegularFile(resume.resolve(RunConfig.FILE_NAME))) {
            throw usage(
                    "--resume "
                            + resume
                            + ": not a run directory (no "
                            + RunConfig.FILE_NAME
                            + "); give the --out directory of an earlier trainsight train run");
        }
        RunConfig saved;
        try {
            saved = RunConfig.read(resume);
        } catch (IOException e) {
            throw usage("--resume " + resume + ": cannot read its run.json: " + e.getMessage());
        }
        Path checkpoint =
                Checkpointer.latest(resume.resolve("checkpoints"))
                        .orElseThrow(
                                () ->
                                        usage(
                                                "--resume "
                                                        + resume
                                                        + ": the run has no checkpoint yet"
                                                        + " (checkpoints/step-*.ckpt)"));
        RunConfig config = options.budgetGiven() ? options.withBudget(saved, this::usage) : saved;
        return new RunPlan(config, resume, checkpoint);
    }

    private static Path defaultRunDir(String example) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Paths.get("runs", example + "-" + stamp);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            logger.debug("Cannot close {}", resource, e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * What a run will do: its settings, its directory, and the checkpoint it resumes from.
     *
     * @param config the settings
     * @param runDir the run directory
     * @param checkpoint the checkpoint to resume from, or null for a fresh run
     */
    private record RunPlan(RunConfig config, Path runDir, Path checkpoint) {}
}
