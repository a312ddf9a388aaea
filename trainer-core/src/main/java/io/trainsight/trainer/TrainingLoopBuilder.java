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
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.engine.EngineThreads;
import io.trainsight.trainer.feed.BatchFeed;
import io.trainsight.trainer.feed.DatasetFeed;
import io.trainsight.trainer.feed.LoaderFeed;
import io.trainsight.trainer.metrics.TrainingMetrics;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Configures a {@link TrainingLoop}, in DJL's vocabulary: {@code setX} for what is required, {@code
 * optX} for options, {@code addX} for lists; {@link #build()} checks everything and names what is
 * wrong.
 */
public final class TrainingLoopBuilder {

    Model model;
    Loss loss;
    Optimizer optimizer;
    Shape[] inputShapes;
    Device[] devices;
    Function<Trainer, BatchFeed> feedFactory;
    long maxSteps = Long.MAX_VALUE;
    int maxEpochs = Integer.MAX_VALUE;
    int accumulate = 1;
    Precision precision = Precision.FP32;
    GradientClipping clipping = GradientClipping.NONE;
    private Supplier<LossScaler> lossScaler = LossScaler::new;
    long seed = 42;
    Path checkpointDir;
    int checkpointEvery;
    int keepCheckpoints = 3;
    ValidationSettings validation;
    EarlyStopping earlyStopping;
    boolean divergenceCheck = true;
    EngineThreads threads;
    int loaderWorkers;
    private MeterRegistry registry;
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
        this.feedFactory = trainer -> new LoaderFeed(loader);
        this.loaderWorkers = loader.config().numWorkers();
        return this;
    }

    /**
     * Sets where the training batches come from, for feeds other than a data set or a loader.
     *
     * @param feedFactory makes the feed once the loop's trainer exists
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingFeed(Function<Trainer, BatchFeed> feedFactory) {
        this.feedFactory = feedFactory;
        return this;
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
     * Sets how many threads libtorch splits one operator across (its intra-op threads). By default
     * the loop chooses them from the cores the process may use (a cgroup quota counts), less one
     * per loader worker and one for the JVM's own threads, unless {@code
     * -Dai.djl.pytorch.num_threads} or {@code OMP_NUM_THREADS} pins them; see {@link
     * EngineThreads}. libtorch's own default, one per hardware core, makes small models many times
     * slower whenever another thread wants a core. The setting is process-wide.
     *
     * @param threads a positive number of threads
     * @return this builder
     */
    public TrainingLoopBuilder optThreads(int threads) {
        this.threads = EngineThreads.fixed(threads, "optThreads");
        return this;
    }

    /**
     * Sets libtorch's threads as chosen elsewhere, e.g. by {@link EngineThreads#choose}.
     *
     * @param threads the setting
     * @return this builder
     */
    public TrainingLoopBuilder optThreads(EngineThreads threads) {
        this.threads = threads;
        return this;
    }

    /**
     * Stops the run after this many optimizer steps (counting those before a resume).
     *
     * @param steps a positive number of steps
     * @return this builder
     */
    public TrainingLoopBuilder optSteps(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be a positive number, got " + steps);
        }
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
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be a positive number, got " + epochs);
        }
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
        if (k < 1) {
            throw new IllegalArgumentException("accumulate must be at least 1, got " + k);
        }
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
     * Sets the seed of the data order and of every step's random numbers (default 42).
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
        if (everySteps < 0) {
            throw new IllegalArgumentException(
                    "checkpoint interval must be 0 (only at the end) or positive, got "
                            + everySteps);
        }
        if (keep < 1) {
            throw new IllegalArgumentException(
                    "checkpoints to keep must be at least 1, got " + keep);
        }
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
     * Adds a listener of the run's events.
     *
     * @param listener the listener
     * @return this builder
     */
    public TrainingLoopBuilder addListener(StepListener listener) {
        listeners.add(listener);
        return this;
    }

    LossScaler lossScaler() {
        return lossScaler.get();
    }

    List<StepListener> listeners() {
        List<StepListener> all = new ArrayList<>(listeners);
        if (registry != null) {
            TrainingMetrics metrics = new TrainingMetrics();
            metrics.bindTo(registry);
            all.add(metrics);
        }
        return List.copyOf(all);
    }

    /**
     * Checks the configuration, initializes the model and builds the loop.
     *
     * @return the loop; close it when done
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public TrainingLoop build() {
        require(model, "model", "setModel");
        require(model.getBlock(), "model's block", "model.setBlock");
        require(loss, "loss", "setLoss");
        require(optimizer, "optimizer", "setOptimizer");
        require(inputShapes, "inputShapes", "setInputShapes");
        require(feedFactory, "training data", "setTrainingSet");
        if (maxSteps == Long.MAX_VALUE && maxEpochs == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a budget is required: call optSteps, optEpochs or both");
        }
        precision.checkSupported();
        if (devices == null) {
            devices = new Device[] {model.getNDManager().getDevice()};
        }
        Device modelDevice = model.getNDManager().getDevice();
        if (devices.length == 1 && !devices[0].equals(modelDevice)) {
            throw new IllegalArgumentException(
                    "the model lives on "
                            + modelDevice
                            + " but is to train on "
                            + devices[0]
                            + "; create it there: Model.newInstance(name, "
                            + devices[0]
                            + ")");
        }
        if (devices.length > 1
                && (precision != Precision.FP32 || clipping != GradientClipping.NONE)) {
            throw new IllegalArgumentException(
                    "mixed precision and gradient clipping train on one device, got "
                            + devices.length);
        }
        if (precision == Precision.FP16) {
            if (model.getBlock().isInitialized()) {
                throw new IllegalArgumentException(
                        "mixed precision (fp16) needs a block that is not initialized yet: the loop"
                                + " initializes FP16 weights and their FP32 masters itself");
            }
        }
        if (earlyStopping != null && validation == null) {
            throw new IllegalArgumentException(
                    "early stopping needs validation: call optValidation");
        }
        return new TrainingLoop(this);
    }

    private static void require(Object value, String what, String setter) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required: call " + setter);
        }
    }
}
