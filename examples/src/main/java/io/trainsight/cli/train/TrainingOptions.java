package io.trainsight.cli.train;

import io.trainsight.data.format.DataFormats;
import io.trainsight.examples.Examples;
import io.trainsight.trainer.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The hyperparameters of {@code trainsight train}, checked into a {@link RunConfig}. */
final class TrainingOptions {

    /** The options a resumed run takes from its run.json and refuses on the command line. */
    static final List<String> FIXED_ON_RESUME =
            List.of(
                    "--example",
                    "--batch-size",
                    "--lr",
                    "--seed",
                    "--precision",
                    "--amp",
                    "--accumulate",
                    "--clip-norm",
                    "--clip-value",
                    "--checkpoint-every",
                    "--keep-checkpoints",
                    "--data",
                    "--format",
                    "--label-column",
                    "--image-size",
                    "--held-out",
                    "--test-data");

    static final int DEFAULT_EPOCHS = 3;

    @Option(
            names = "--example",
            paramLabel = "NAME",
            completionCandidates = ExampleNames.class,
            description = "The example to train: ${COMPLETION-CANDIDATES}.")
    String example;

    @Option(names = "--steps", paramLabel = "N", description = "Stop after N optimizer steps.")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", description = "Stop after N epochs.")
    Integer epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "32",
            description = "Samples per batch (per micro-batch with --accumulate); default 32.")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "X",
            defaultValue = "0.001",
            description = "Learning rate of the Adam optimizer (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the data, the initialization and the shuffling (default: 42).")
    long seed;

    @Option(
            names = "--precision",
            paramLabel = "fp32|fp16|bf16",
            description =
                    "fp32 (default), fp16 (mixed precision: FP16 weights, FP32 masters, dynamic"
                            + " loss scaling) or bf16 (refused: DJL's engine cannot run it).")
    String precision;

    @Option(names = "--amp", description = "Mixed precision; the same as --precision fp16.")
    boolean amp;

    @Option(
            names = "--accumulate",
            paramLabel = "K",
            defaultValue = "1",
            description = "Accumulate the gradients of K micro-batches per optimizer step.")
    int accumulate;

    @Option(
            names = "--clip-norm",
            paramLabel = "X",
            description = "Scale the gradients down to a global L2 norm of at most X.")
    Float clipNorm;

    @Option(
            names = "--clip-value",
            paramLabel = "X",
            description = "Clamp every gradient element to [-X, X].")
    Float clipValue;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            defaultValue = "0",
            description = "Write a checkpoint every N steps; one is always written at the end.")
    int checkpointEvery;

    @Option(
            names = "--keep-checkpoints",
            paramLabel = "K",
            defaultValue = "3",
            description = "Keep the newest K checkpoints (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description =
                    "Train on files instead of the example's generated data: a CSV/TSV file, IDX"
                            + " images (labels beside them) or a folder of class folders.")
    Path data;

    @Option(
            names = "--format",
            paramLabel = "csv|idx|images",
            description = "The format of --data.")
    String format;

    @Option(
            names = "--label-column",
            paramLabel = "NAME",
            description = "With --data: the label column of a CSV/TSV file (default: label).")
    String labelColumn;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description = "With --data: images of a folder are resized to N x N (default: 32).")
    Integer imageSize;

    @Option(
            names = "--held-out",
            paramLabel = "F",
            description =
                    "With --data: the share of its samples held out for evaluation (default:"
                            + " 0.1; not with --test-data).")
    Double heldOut;

    @Option(
            names = "--test-data",
            paramLabel = "PATH",
            description =
                    "Evaluate on this test set (same --format as --data, e.g. Fashion-MNIST's"
                            + " t10k files) instead of holding out part of --data, which is then"
                            + " trained on whole.")
    Path testData;

    static final double DEFAULT_HELD_OUT = 0.1;

    /** Checks every value and returns the run's configuration. */
    RunConfig toConfig(Function<String, ParameterException> usage) {
        Examples examples = Examples.builtIn();
        if (example == null) {
            throw usage.apply(
                    "--example is required (or --resume DIR); valid: " + examples.names());
        }
        if (examples.find(example).isEmpty()) {
            throw usage.apply(
                    "--example: unknown example '" + example + "'; valid: " + examples.names());
        }
        checkBudget(usage);
        if (batchSize <= 0) {
            throw usage.apply(
                    "--batch-size must be a positive number of samples, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw usage.apply("--lr must be a positive finite number, got " + learningRate);
        }
        if (accumulate < 1) {
            throw usage.apply("--accumulate must be 1 or more micro-batches, got " + accumulate);
        }
        checkPositive("--clip-norm", clipNorm, usage);
        checkPositive("--clip-value", clipValue, usage);
        if (checkpointEvery < 0) {
            throw usage.apply(
                    "--checkpoint-every must be 0 (only at the end) or a positive number of steps,"
                            + " got "
                            + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw usage.apply("--keep-checkpoints must be 1 or more, got " + keepCheckpoints);
        }
        checkData(usage);
        return new RunConfig(
                example,
                steps,
                steps == null && epochs == null ? Integer.valueOf(DEFAULT_EPOCHS) : epochs,
                batchSize,
                learningRate,
                seed,
                precision(usage).toString(),
                accumulate,
                clipNorm,
                clipValue,
                checkpointEvery,
                keepCheckpoints,
                data == null ? null : data.toString(),
                data == null ? null : format.toLowerCase(Locale.ROOT),
                labelColumn == null ? "label" : labelColumn,
                imageSize == null ? 32 : imageSize,
                testData != null ? 0 : heldOut == null ? DEFAULT_HELD_OUT : heldOut,
                testData == null ? null : testData.toString());
    }

    private void checkData(Function<String, ParameterException> usage) {
        if (data == null) {
            if (format != null) {
                throw usage.apply("--format needs --data PATH");
            }
            if (testData != null) {
                throw usage.apply("--test-data needs --data PATH (the training set)");
            }
            if (heldOut != null) {
                throw usage.apply(
                        "--held-out needs --data PATH: the example's generated data has its own"
                                + " held-out set");
            }
            if (labelColumn != null) {
                throw usage.apply("--label-column needs --data PATH (a CSV or TSV file)");
            }
            if (imageSize != null) {
                throw usage.apply("--image-size needs --data PATH (a folder of images)");
            }
            return;
        }
        if (testData != null) {
            if (heldOut != null) {
                throw usage.apply(
                        "--held-out and --test-data exclude each other: with a test set the whole"
                                + " of --data is trained on");
            }
            if (!Files.exists(testData)) {
                throw usage.apply("--test-data " + testData + ": no such file or folder");
            }
        }
        if (format == null) {
            throw usage.apply(
                    "--format is required with --data; valid: "
                            + String.join(", ", DataFormats.NAMES));
        }
        if (!DataFormats.NAMES.contains(format.toLowerCase(Locale.ROOT))) {
            throw usage.apply(
                    "--format: unknown format '"
                            + format
                            + "'; valid: "
                            + String.join(", ", DataFormats.NAMES));
        }
        if (!Files.exists(data)) {
            throw usage.apply("--data " + data + ": no such file or folder");
        }
        if (imageSize != null && (imageSize < 1 || imageSize > 4096)) {
            throw usage.apply("--image-size must be between 1 and 4096 pixels, got " + imageSize);
        }
        if (heldOut != null && !(heldOut > 0 && heldOut < 1)) {
            throw usage.apply(
                    "--held-out must be a share between 0 and 1 (exclusive), got " + heldOut);
        }
    }

    private Precision precision(Function<String, ParameterException> usage) {
        Precision chosen;
        try {
            chosen = precision == null ? Precision.FP32 : Precision.of(precision);
        } catch (IllegalArgumentException e) {
            throw usage.apply("--precision: " + e.getMessage());
        }
        if (amp) {
            if (precision != null && chosen != Precision.FP16) {
                throw usage.apply(
                        "--amp means --precision fp16; it contradicts --precision " + precision);
            }
            chosen = Precision.FP16;
        }
        try {
            chosen.checkSupported();
        } catch (IllegalArgumentException e) {
            throw usage.apply("--precision: " + e.getMessage());
        }
        return chosen;
    }

    boolean budgetGiven() {
        return steps != null || epochs != null;
    }

    /** Returns the saved configuration with the budget given on the command line. */
    RunConfig withBudget(RunConfig saved, Function<String, ParameterException> usage) {
        checkBudget(usage);
        return saved.withBudget(steps, epochs);
    }

    private void checkBudget(Function<String, ParameterException> usage) {
        if (steps != null && steps <= 0) {
            throw usage.apply("--steps must be a positive number of steps, got " + steps);
        }
        if (epochs != null && epochs <= 0) {
            throw usage.apply("--epochs must be a positive number of epochs, got " + epochs);
        }
    }

    private static void checkPositive(
            String option, Float value, Function<String, ParameterException> usage) {
        if (value != null && (!(value > 0) || Float.isInfinite(value))) {
            throw usage.apply(option + " must be a positive finite number, got " + value);
        }
    }

    /** Returns the number of steps a run will take, for the progress display. */
    static long plannedSteps(RunConfig config, long stepsPerEpoch) {
        long byEpochs = config.epochs() == null ? Long.MAX_VALUE : config.epochs() * stepsPerEpoch;
        return Math.min(byEpochs, config.steps() == null ? Long.MAX_VALUE : config.steps());
    }

    /** The example names, for the help text and shell completion. */
    static final class ExampleNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Examples.builtIn().iterator();
        }
    }
}
