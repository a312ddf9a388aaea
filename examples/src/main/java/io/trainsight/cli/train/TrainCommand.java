package io.trainsight.cli.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.trainsight.cli.progress.ProgressReporter;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.Examples;
import io.trainsight.trainer.Precision;
import io.trainsight.trainer.StepListener;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.TrainingResult;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.engine.DeviceChoice;
import io.trainsight.trainer.engine.EngineInfo;
import io.trainsight.trainer.log.StepLogWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description =
                    "Continue the run in DIR (a run directory) from its newest checkpoint, with"
                            + " its saved settings; only --steps, --epochs and --device may be"
                            + " given with it.")
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
        RunConfig config;
        Path runDir;
        Path checkpoint = null;
        if (resume != null) {
            runDir = resume;
            config = resumedConfig();
            checkpoint =
                    Checkpointer.latest(runDir.resolve("checkpoints"))
                            .orElseThrow(
                                    () ->
                                            usage(
                                                    "--resume "
                                                            + resume
                                                            + ": the run has no checkpoint yet"
                                                            + " (checkpoints/step-*.ckpt)"));
        } else {
            config = options.toConfig(this::usage);
            runDir = out != null ? out : defaultRunDir(config.example());
            String problem = RunDirectory.problemWith(runDir);
            if (problem != null) {
                throw usage("--out " + problem);
            }
        }
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

        RunDirectory.create(runDir);
        Path stepLog = runDir.resolve(StepLogWriter.FILE_NAME);
        StepLogWriter stepWriter;
        if (checkpoint == null) {
            if (Files.exists(stepLog)) {
                logger.warn("Replacing the earlier run in {}", runDir);
            }
            config.write(runDir);
            stepWriter = new StepLogWriter(stepLog);
        } else {
            long step = Checkpointer.stepOf(checkpoint);
            logger.info("Resuming {} from step {} ({})", runDir, step, checkpoint.getFileName());
            stepWriter = StepLogWriter.continuing(stepLog, step);
        }
        ExampleSettings settings =
                new ExampleSettings(
                        config.batchSize(), config.learningRate(), config.seed(), trainOn);
        try (stepWriter;
                ExampleRun run = example.prepare(settings)) {
            long batchesPerEpoch =
                    (run.trainingSet().size() + config.batchSize() - 1) / config.batchSize();
            long stepsPerEpoch = (batchesPerEpoch + config.accumulate() - 1) / config.accumulate();
            long planned = TrainingOptions.plannedSteps(config, stepsPerEpoch);
            RunTally losses = new RunTally(LOSS_WINDOW);
            StepListener progress =
                    ProgressReporter.create(System.console() != null, planned, System.err);
            TrainingLoopBuilder builder =
                    loopBuilder(config, run, trainOn, runDir)
                            .addListener(stepWriter)
                            .addListener(losses)
                            .addListener(progress);
            logger.info(
                    "Training {} for {} steps ({} per epoch), batch size {}{}, {}, writing {}",
                    example.name(),
                    planned,
                    stepsPerEpoch,
                    config.batchSize(),
                    config.accumulate() > 1 ? " x " + config.accumulate() + " micro-batches" : "",
                    config.precision(),
                    runDir);
            try (TrainingLoop loop = builder.build()) {
                TrainingResult result = checkpoint == null ? loop.run() : loop.resume(checkpoint);
                Map<String, Float> heldOut = loop.evaluate(run.heldOutSet(), run.evaluators());
                new TrainSummary(
                                example.name(),
                                engineInfo,
                                result,
                                losses,
                                heldOut,
                                run.heldOutSet().size(),
                                runDir)
                        .print(spec.commandLine().getOut());
            }
        }
        return 0;
    }

    private static TrainingLoopBuilder loopBuilder(
            RunConfig config, ExampleRun run, Device trainOn, Path runDir) {
        TrainingLoopBuilder builder =
                TrainingLoop.builder()
                        .setModel(run.model())
                        .setLoss(run.loss())
                        .setOptimizer(run.optimizer())
                        .setInputShapes(run.inputShape())
                        .setTrainingSet(run.trainingSet())
                        .optDevices(trainOn)
                        .optSeed(config.seed())
                        .optPrecision(Precision.of(config.precision()))
                        .optAccumulate(config.accumulate())
                        .optClipping(
                                new GradientClipping(
                                        config.clipNorm() == null
                                                ? Float.POSITIVE_INFINITY
                                                : config.clipNorm(),
                                        config.clipValue() == null
                                                ? Float.POSITIVE_INFINITY
                                                : config.clipValue()))
                        .optCheckpoints(
                                runDir.resolve("checkpoints"),
                                config.checkpointEvery(),
                                config.keepCheckpoints());
        if (config.steps() != null) {
            builder.optSteps(config.steps());
        }
        if (config.epochs() != null) {
            builder.optEpochs(config.epochs());
        }
        return builder;
    }

    private RunConfig resumedConfig() {
        for (String option : TrainingOptions.FIXED_ON_RESUME) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw usage(
                        option
                                + " cannot be given with --resume: the run continues with the"
                                + " settings saved in its run.json (only --steps, --epochs and"
                                + " --device may change)");
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
        } catch (java.io.IOException e) {
            throw usage("--resume " + resume + ": cannot read its run.json: " + e.getMessage());
        }
        return options.budgetGiven() ? options.withBudget(saved, this::usage) : saved;
    }

    private static Path defaultRunDir(String example) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Paths.get("runs", example + "-" + stamp);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
