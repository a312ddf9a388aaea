package io.trainsight.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import io.trainsight.cli.progress.ProgressReporter;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.Examples;
import io.trainsight.trainer.StepListener;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingResult;
import io.trainsight.trainer.engine.DeviceChoice;
import io.trainsight.trainer.engine.EngineInfo;
import io.trainsight.trainer.log.StepLogWriter;
import io.trainsight.trainer.validation.Validator;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code trainsight train}: trains an example model and writes its step log. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train an example model on DJL's PyTorch engine, write one line per step to"
                    + " OUT/steps.jsonl and print a summary.",
            "Without --steps or --epochs the run takes 3 epochs; with both it stops at the"
                    + " first reached."
        })
final class TrainCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(TrainCommand.class);
    private static final int DEFAULT_EPOCHS = 3;
    private static final int LOSS_WINDOW = 50;

    @Spec private CommandSpec spec;

    @Option(
            names = "--example",
            required = true,
            paramLabel = "NAME",
            completionCandidates = ExampleNames.class,
            description = "The example to train: ${COMPLETION-CANDIDATES}.")
    private String example;

    @Option(names = "--steps", paramLabel = "N", description = "Stop after N optimizer steps.")
    private Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Stop after N epochs.")
    private Integer epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "32",
            description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "X",
            defaultValue = "0.001",
            description = "Learning rate of the optimizer (default: ${DEFAULT-VALUE}).")
    private float learningRate;

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
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the data, the initialization and the shuffling (default: 42).")
    private long seed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Run directory (default: runs/EXAMPLE-YYYYMMDD-HHMMSS).")
    private Path out;

    @Override
    public Integer call() throws Exception {
        Example chosen = validate();
        Engine engine = Engine.getInstance();
        Device trainOn;
        try {
            trainOn = device.resolve(engine);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
        }
        EngineInfo engineInfo = EngineInfo.of(engine, trainOn);
        logger.info("{}", engineInfo.describe());

        Path runDir = RunDirectory.create(out);
        Path stepLog = runDir.resolve(StepLogWriter.FILE_NAME);
        if (Files.exists(stepLog)) {
            logger.warn("Replacing the earlier run's {}", stepLog);
        }
        engine.setRandomSeed((int) seed);
        ExampleSettings settings = new ExampleSettings(batchSize, learningRate, seed, trainOn);
        try (ExampleRun run = chosen.prepare(settings);
                Trainer trainer = newTrainer(run, trainOn);
                StepLogWriter stepWriter = new StepLogWriter(stepLog)) {
            LossWindows losses = new LossWindows(LOSS_WINDOW);
            long batchesPerEpoch = (run.trainingSet().size() + batchSize - 1) / batchSize;
            long planned = plannedSteps(batchesPerEpoch);
            StepListener progress =
                    ProgressReporter.create(System.console() != null, planned, System.err);
            TrainingLoop.Builder loop =
                    TrainingLoop.builder()
                            .setTrainer(trainer)
                            .setTrainingSet(run.trainingSet())
                            .addListener(stepWriter)
                            .addListener(losses)
                            .addListener(progress);
            if (steps != null) {
                loop.optSteps(steps);
            }
            loop.optEpochs(
                    epochs != null ? epochs : steps == null ? DEFAULT_EPOCHS : Integer.MAX_VALUE);
            logger.info(
                    "Training {} for {} steps ({} per epoch), batch size {}, writing {}",
                    chosen.name(),
                    planned,
                    batchesPerEpoch,
                    batchSize,
                    stepLog);
            TrainingResult result = loop.build().run();
            Map<String, Float> heldOut =
                    Validator.evaluate(trainer, run.heldOutSet(), run.evaluators());
            new TrainSummary(
                            chosen.name(),
                            engineInfo,
                            result,
                            losses,
                            heldOut,
                            run.heldOutSet().size(),
                            runDir)
                    .print(spec.commandLine().getOut());
        }
        return 0;
    }

    private Example validate() {
        Examples examples = Examples.builtIn();
        Example chosen =
                examples.find(example)
                        .orElseThrow(
                                () ->
                                        usage(
                                                "--example: unknown example '"
                                                        + example
                                                        + "'; valid: "
                                                        + examples.names()));
        if (steps != null && steps <= 0) {
            throw usage("--steps must be a positive number of steps, got " + steps);
        }
        if (epochs != null && epochs <= 0) {
            throw usage("--epochs must be a positive number of epochs, got " + epochs);
        }
        if (batchSize <= 0) {
            throw usage("--batch-size must be a positive number of samples, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw usage("--lr must be a positive finite number, got " + learningRate);
        }
        if (out == null) {
            String stamp =
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            out = Paths.get("runs", chosen.name() + "-" + stamp);
        }
        String problem = RunDirectory.problemWith(out);
        if (problem != null) {
            throw usage("--out " + problem);
        }
        return chosen;
    }

    private long plannedSteps(long batchesPerEpoch) {
        long byEpochs =
                epochs != null
                        ? epochs * batchesPerEpoch
                        : steps == null ? DEFAULT_EPOCHS * batchesPerEpoch : Long.MAX_VALUE;
        return Math.min(byEpochs, steps == null ? Long.MAX_VALUE : steps);
    }

    private static Trainer newTrainer(ExampleRun run, Device trainOn) {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(run.loss())
                        .optOptimizer(run.optimizer())
                        .optDevices(new Device[] {trainOn});
        Trainer trainer = run.model().newTrainer(config);
        trainer.initialize(run.inputShape());
        return trainer;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The example names, for the help text and shell completion. */
    static final class ExampleNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Examples.builtIn().iterator();
        }
    }
}
