package io.trainsight.cli.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.trainsight.cli.serve.ServeOptions;
import io.trainsight.data.DataLoader;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.Examples;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.trainer.MemoryFormat;
import io.trainsight.trainer.engine.DeviceChoice;
import io.trainsight.trainer.engine.EngineInfo;
import io.trainsight.trainer.engine.EngineThreads;
import io.trainsight.trainer.engine.MklDispatch;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
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

    @Mixin private EngineOptions engineOptions;

    @Mixin private InsightOptions watching;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description =
                    "Continue the run in DIR (a run directory) from its newest checkpoint, with"
                            + " its saved settings; only --steps, --epochs, --device, --workers,"
                            + " --prefetch and --threads may be given with it.")
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

    @Option(
            names = "--overwrite",
            description =
                    "Replace the run already in --out (its run.json, step log, report and"
                            + " checkpoints; other files stay). Without it such a directory is"
                            + " refused.")
    private boolean overwrite;

    @Override
    public Integer call() throws Exception {
        RunPlanner planner = new RunPlanner(options, this::usage, spec.commandLine().getErr());
        try (StopSignals signals = StopSignals.install(spec.commandLine().getErr());
                RunPlan plan =
                        resume != null
                                ? planner.resume(resume, out, this::given)
                                : planner.fresh(out, overwrite)) {
            return train(planner, plan, signals);
        }
    }

    private int train(RunPlanner planner, RunPlan plan, StopSignals signals) throws Exception {
        RunConfig config = plan.config();
        loading.check(this::usage, config.format());
        EngineThreads threads = engineOptions.choose(loading.workers(), this::usage);
        MemoryFormat memoryFormat = engineOptions.memoryFormat(this::usage);
        InsightOptions.Settings watch = watching.check(this::usage, serveOptionsGiven());
        Example example = Examples.builtIn().find(config.example()).orElseThrow();
        threads.beforeEngineStart();
        MklDispatch.beforeEngineStart(); // the training loop logs what it did
        Engine engine = Engine.getInstance();
        Device trainOn;
        try {
            trainOn = device.resolve(engine);
        } catch (IllegalArgumentException e) {
            throw usage("--device: " + e.getMessage());
        }
        EngineInfo engineInfo = EngineInfo.of(engine, trainOn);
        logger.info("{}", engineInfo.describe());
        logger.info("{}", threads.describe());
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
            ExampleRun run = ExamplePreparation.prepare(example, settings, config, this::usage);
            if (signals.received()) {
                run.close();
                return signals.exitCode(); // stopped before anything was written
            }
            try (run;
                    DataLoader loader = loading.loader(run.data().trainingSet(), config, trainOn)) {
                return new TrainingRun(
                                plan,
                                example,
                                new TrainingRun.Watch(
                                        watch,
                                        monitor,
                                        server,
                                        engineInfo,
                                        loading.workers(),
                                        threads,
                                        memoryFormat),
                                spec.commandLine().getOut())
                        .train(run, loader, trainOn, planner, signals);
            }
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private boolean serveOptionsGiven() {
        for (String option : ServeOptions.NAMES) {
            if (given(option)) {
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
            throw usage(ServeOptions.bindFailure(watch.serve(), e));
        }
        logger.info(
                "Serving the run live at {}/ (dashboard), /metrics, /gpu-status and"
                        + " /steps?since=N{}; it stops when the run ends",
                server.url(),
                watch.serve().token() != null ? " (bearer token required)" : "");
        return server;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
