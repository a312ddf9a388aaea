package io.trainsight.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.trainsight.data.DataLoader;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.feed.BatchFeed;
import io.trainsight.trainer.feed.DatasetFeed;
import io.trainsight.trainer.feed.LoaderFeed;
import io.trainsight.trainer.metrics.TrainingMetrics;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Configures a {@link TrainingLoop}, in DJL's vocabulary: {@code setX} for what is required, {@code
 * optX} for options, {@code addX} for lists. {@link #build()} checks everything in one place, names
 * what is wrong, and copies the settings into the loop: calling the builder afterwards changes
 * nothing that exists. A setter that contradicts one made before (a second source of training data)
 * is refused at once.
 */
public final class TrainingLoopBuilder {

    private Model model;
    private Loss loss;
    private Optimizer optimizer;
    private Shape[] inputShapes;
    private Device[] devices;
    private Function<Trainer, BatchFeed> feedFactory;
    private String dataSetter;
    private DataLoader loader;
    private Long maxSteps;
    private Integer maxEpochs;
    private int accumulate = 1;
    private Precision precision = Precision.FP32;
    private GradientClipping clipping = GradientClipping.NONE;
    private Supplier<LossScaler> lossScaler = LossScaler::new;
    private Long seed;
    private Path checkpointDir;
    private int checkpointEvery;
    private int keepCheckpoints = 3;
    private ValidationSettings validation;
    private EarlyStopping earlyStopping;
    private boolean divergenceCheck = true;
    private MeterRegistry registry;
    private Path runDirectory;
    private Consumer<RunInsight.Builder> insightSettings;
    private boolean progressLog = true;
    private final List<StepListener> listeners = new ArrayList<>();

    TrainingLoopBuilder() {}

    /**
     * Sets the model to train; its block must be set. The loop initializes the block's parameters
     * (FP16 ones under mixed precision), so pass a block that is not yet initialized.
     *
     * @param model the model
     * @return this builder
     */
    public TrainingLoopBuilder setModel(Model model) {
        this.model = model;
        return this;
    }

    /**
     * Sets the training loss.
     *
     * @param loss the loss, e.g. {@code Loss.softmaxCrossEntropyLoss()}
     * @return this builder
     */
    public TrainingLoopBuilder setLoss(Loss loss) {
        this.loss = loss;
        return this;
    }

    /**
     * Sets the optimizer, with its learning-rate tracker (e.g. {@code
     * Optimizer.adam().optLearningRateTracker(Tracker.warmUp()...)}).
     *
     * @param optimizer the optimizer
     * @return this builder
     */
    public TrainingLoopBuilder setOptimizer(Optimizer optimizer) {
        this.optimizer = optimizer;
        return this;
    }

    /**
     * Sets the shapes of one input batch, to initialize the parameters.
     *
     * @param shapes the input shapes, batch axis first
     * @return this builder
     */
    public TrainingLoopBuilder setInputShapes(Shape... shapes) {
        this.inputShapes = shapes.clone();
        return this;
    }

    /**
     * Sets the training data, iterated once per epoch through DJL's {@code iterateDataset}.
     *
     * @param dataset the data
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingSet(Dataset dataset) {
        dataSource("setTrainingSet");
        this.feedFactory = trainer -> new DatasetFeed(trainer, dataset);
        return this;
    }

    /**
     * Sets the training data as data-pipeline's prefetching loader: batches are built on its worker
     * threads and each step's data wait is the time the loop blocked on it. The loop does not close
     * the loader.
     *
     * @param loader the loader
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingLoader(DataLoader loader) {
        dataSource("setTrainingLoader");
        this.loader = loader;
        this.feedFactory = trainer -> new LoaderFeed(loader);
        return this;
    }

    /**
     * Sets where the training batches come from, for feeds other than a data set or a loader.
     *
     * @param feedFactory makes the feed once the loop's trainer exists
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingFeed(Function<Trainer, BatchFeed> feedFactory) {
        dataSource("setTrainingFeed");
        this.feedFactory = feedFactory;
        return this;
    }

    /** The training data has one source: a second setter of it is refused at once. */
    private void dataSource(String setter) {
        if (dataSetter != null) {
            throw new IllegalArgumentException(
                    setter
                            + " contradicts "
                            + dataSetter
                            + ", called before: the training data has one source; call only one"
                            + " of setTrainingSet, setTrainingLoader and setTrainingFeed");
        }
        dataSetter = setter;
    }

    /**
     * Sets the devices to train on; by default the model's device.
     *
     * @param devices the devices; more than one splits each batch between them
     * @return this builder
     */
    public TrainingLoopBuilder optDevices(Device... devices) {
        this.devices = devices.clone();
        return this;
    }

    /**
     * Stops the run after this many optimizer steps (counting those before a resume).
     *
     * @param steps a positive number of steps
     * @return this builder
     */
    public TrainingLoopBuilder optSteps(long steps) {
        this.maxSteps = steps;
        return this;
    }

    /**
     * Stops the run after this many passes over the training data.
     *
     * @param epochs a positive number of epochs
     * @return this builder
     */
    public TrainingLoopBuilder optEpochs(int epochs) {
        this.maxEpochs = epochs;
        return this;
    }

    /**
     * Accumulates the gradients of k micro-batches (each loss divided by k) per optimizer step.
     *
     * @param k the number of micro-batches per step, at least 1
     * @return this builder
     */
    public TrainingLoopBuilder optAccumulate(int k) {
        this.accumulate = k;
        return this;
    }

    /**
     * Sets the precision: FP32 (default) or FP16 mixed precision; BF16 is refused by {@link
     * #build()}.
     *
     * @param precision the precision
     * @return this builder
     */
    public TrainingLoopBuilder optPrecision(Precision precision) {
        this.precision = precision;
        return this;
    }

    /**
     * Sets the loss scaler of mixed precision; by default PyTorch GradScaler's settings.
     *
     * @param lossScaler makes the scaler for a run
     * @return this builder
     */
    public TrainingLoopBuilder optLossScaler(Supplier<LossScaler> lossScaler) {
        this.lossScaler = lossScaler;
        return this;
    }

    /**
     * Clips the gradients before each update.
     *
     * @param clipping by norm, by value, or both
     * @return this builder
     */
    public TrainingLoopBuilder optClipping(GradientClipping clipping) {
        this.clipping = clipping;
        return this;
    }

    /**
     * Sets the seed of the initial parameters, of the data order and of every step's random numbers
     * (default 42). It is the run's one seed: a {@link DataLoader} given to {@link
     * #setTrainingLoader} takes its epochs' order from it, so a loader seed of its own must be left
     * out or equal to this one.
     *
     * @param seed the seed
     * @return this builder
     */
    public TrainingLoopBuilder optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Writes checkpoints into a directory every {@code everySteps} steps and at the end.
     *
     * @param dir the directory
     * @param everySteps the interval in steps, or 0 for only at the end
     * @param keep how many of the newest checkpoints to keep, at least 1
     * @return this builder
     */
    public TrainingLoopBuilder optCheckpoints(Path dir, int everySteps, int keep) {
        this.checkpointDir = dir;
        this.checkpointEvery = everySteps;
        this.keepCheckpoints = keep;
        return this;
    }

    /**
     * Evaluates the model during training.
     *
     * @param validation the data, the evaluators and how often
     * @return this builder
     */
    public TrainingLoopBuilder optValidation(ValidationSettings validation) {
        this.validation = validation;
        return this;
    }

    /**
     * Stops the run when a validation metric stops improving; needs {@link #optValidation}.
     *
     * @param earlyStopping the rule
     * @return this builder
     */
    public TrainingLoopBuilder optEarlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    /**
     * Turns off the check that stops a run whose loss becomes inf or NaN on a step that was not
     * skipped (skipped mixed-precision steps never trip it).
     *
     * @param enabled whether to check
     * @return this builder
     */
    public TrainingLoopBuilder optDivergenceCheck(boolean enabled) {
        this.divergenceCheck = enabled;
        return this;
    }

    /**
     * Publishes the steps to a Micrometer registry ({@code train.step.duration}, {@code
     * train.data.wait}, {@code train.samples}, {@code train.loss}...).
     *
     * @param registry the registry
     * @return this builder
     */
    public TrainingLoopBuilder optMeterRegistry(MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    /**
     * Watches the run and writes its files into a directory: the monitor samples the GPUs (or the
     * host), {@code steps.jsonl} gets one line per step with its samples, the diagnosis runs live
     * (findings are logged through SLF4J) and {@code summary.json} and {@code report.html} are
     * written when the run ends, also when it fails; checkpoints go to {@code checkpoints/} there
     * unless {@link #optCheckpoints} says otherwise. The same outputs as {@code trainsight train}.
     *
     * @param dir the run directory, created when missing
     * @return this builder
     */
    public TrainingLoopBuilder optRunDirectory(Path dir) {
        this.runDirectory = dir;
        return this;
    }

    /**
     * Adjusts the insight {@link #optRunDirectory} creates: thresholds, a monitor of your own, the
     * sampling interval, the host's memory limit, a finding listener.
     *
     * @param settings called with the insight's builder before it is built
     * @return this builder
     */
    public TrainingLoopBuilder optInsight(Consumer<RunInsight.Builder> settings) {
        this.insightSettings = settings;
        return this;
    }

    /**
     * Logs the run's progress through SLF4J at INFO, every tenth of the planned steps (every 100
     * steps when the length is unknown); on by default.
     *
     * @param enabled whether to log progress
     * @return this builder
     */
    public TrainingLoopBuilder optProgressLog(boolean enabled) {
        this.progressLog = enabled;
        return this;
    }

    /**
     * Adds a listener of the run's events.
     *
     * @param listener the listener
     * @return this builder
     */
    public TrainingLoopBuilder addListener(StepListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Checks the configuration, copies it, initializes the model and builds the loop. Every setting
     * is checked here; the first one that is missing or wrong is named.
     *
     * @return the loop; close it when done
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public TrainingLoop build() {
        return new TrainingLoop(validate());
    }

    private LoopConfig validate() {
        require(model, "model", "setModel");
        require(model.getBlock(), "model's block", "model.setBlock");
        require(loss, "loss", "setLoss");
        require(optimizer, "optimizer", "setOptimizer");
        require(inputShapes, "inputShapes", "setInputShapes");
        require(feedFactory, "training data", "setTrainingSet or setTrainingLoader");
        if (maxSteps == null && maxEpochs == null) {
            throw new IllegalArgumentException(
                    "a budget is required: call optSteps, optEpochs or both");
        }
        if (maxSteps != null && maxSteps <= 0) {
            throw new IllegalArgumentException("steps must be a positive number, got " + maxSteps);
        }
        if (maxEpochs != null && maxEpochs <= 0) {
            throw new IllegalArgumentException(
                    "epochs must be a positive number, got " + maxEpochs);
        }
        if (accumulate < 1) {
            throw new IllegalArgumentException("accumulate must be at least 1, got " + accumulate);
        }
        require(precision, "precision", "optPrecision");
        precision.checkSupported();
        require(clipping, "clipping", "optClipping (GradientClipping.NONE for none)");
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException(
                    "checkpoint interval must be 0 (only at the end) or positive, got "
                            + checkpointEvery);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException(
                    "checkpoints to keep must be at least 1, got " + keepCheckpoints);
        }
        Device modelDevice = model.getNDManager().getDevice();
        Device[] trainOn = devices == null ? new Device[] {modelDevice} : devices;
        if (trainOn.length == 1 && !trainOn[0].equals(modelDevice)) {
            throw new IllegalArgumentException(
                    "the model lives on "
                            + modelDevice
                            + " but is to train on "
                            + trainOn[0]
                            + "; create it there: Model.newInstance(name, "
                            + trainOn[0]
                            + ")");
        }
        if (trainOn.length > 1
                && (precision != Precision.FP32 || clipping != GradientClipping.NONE)) {
            throw new IllegalArgumentException(
                    "mixed precision and gradient clipping train on one device, got "
                            + trainOn.length);
        }
        if (precision == Precision.FP16 && model.getBlock().isInitialized()) {
            throw new IllegalArgumentException(
                    "mixed precision (fp16) needs a block that is not initialized yet: the loop"
                            + " initializes FP16 weights and their FP32 masters itself");
        }
        if (earlyStopping != null && validation == null) {
            throw new IllegalArgumentException(
                    "early stopping needs validation: call optValidation");
        }
        if (insightSettings != null && runDirectory == null) {
            throw new IllegalArgumentException(
                    "optInsight adjusts the insight of optRunDirectory: call optRunDirectory too");
        }
        long runSeed = seed(loader);
        Path checkpoints = checkpointDir;
        if (checkpoints == null && runDirectory != null) {
            checkpoints = runDirectory.resolve("checkpoints");
        }
        List<StepListener> all = new ArrayList<>(listeners);
        if (registry != null) {
            TrainingMetrics metrics = new TrainingMetrics();
            metrics.bindTo(registry);
            all.add(metrics);
        }
        return new LoopConfig(
                model,
                loss,
                optimizer,
                inputShapes,
                trainOn,
                feedFactory,
                maxSteps == null ? Long.MAX_VALUE : maxSteps,
                maxEpochs == null ? Integer.MAX_VALUE : maxEpochs,
                accumulate,
                precision,
                clipping,
                lossScaler,
                runSeed,
                checkpoints,
                checkpointEvery,
                keepCheckpoints,
                validation,
                earlyStopping,
                divergenceCheck,
                registry,
                runDirectory,
                insightSettings,
                progressLog,
                all);
    }

    /** The run's one seed: the loop's, else a loader's own, else 42; two different ones refused. */
    private Long seedOf(DataLoader loader) {
        return loader != null && loader.seedGiven() ? loader.config().seed() : null;
    }

    private long seed(DataLoader loader) {
        Long loaderSeed = seedOf(loader);
        if (seed != null && loaderSeed != null && !seed.equals(loaderSeed)) {
            throw new IllegalArgumentException(
                    "optSeed("
                            + seed
                            + ") contradicts the loader's optSeed("
                            + loaderSeed
                            + "): the loop's seed orders the loader's epochs; give the seed once");
        }
        return seed != null ? seed : loaderSeed != null ? loaderSeed : 42L;
    }

    private static void require(Object value, String what, String setter) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required: call " + setter);
        }
    }
}
