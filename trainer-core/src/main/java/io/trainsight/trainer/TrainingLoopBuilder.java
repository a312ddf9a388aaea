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
import io.trainsight.trainer.engine.EngineThreads;
import io.trainsight.trainer.internal.feed.BatchFeed;
import io.trainsight.trainer.internal.feed.DatasetFeed;
import io.trainsight.trainer.internal.feed.LoaderFeed;
import io.trainsight.trainer.internal.step.PhaseClock;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Configures a {@link TrainingLoop}, in DJL's vocabulary: {@code setX} for what is required, {@code
 * optX} for options, {@code addX} for lists. {@link #build()} checks everything in one place, names
 * what is wrong, and copies the settings into the loop: calling the builder afterwards changes
 * nothing that exists. A setter that contradicts one made before (a second source of training data)
 * is refused at once.
 */
public final class TrainingLoopBuilder {

    private final LoopDraft draft = new LoopDraft();

    /** The default interval of the steps whose phases are timed on the device (every 20th). */
    public static final int DEFAULT_PHASE_SYNC_EVERY = 20;

    TrainingLoopBuilder() {}

    /**
     * Sets the model to train; its block must be set. The loop initializes the block's parameters
     * (FP16 ones under mixed precision), so pass a block that is not yet initialized.
     *
     * @param model the model
     * @return this builder
     */
    public TrainingLoopBuilder setModel(Model model) {
        draft.model = model;
        return this;
    }

    /**
     * Sets the training loss.
     *
     * @param loss the loss, e.g. {@code Loss.softmaxCrossEntropyLoss()}
     * @return this builder
     */
    public TrainingLoopBuilder setLoss(Loss loss) {
        draft.loss = loss;
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
        draft.optimizer = optimizer;
        return this;
    }

    /**
     * Sets the shapes of one input batch, to initialize the parameters.
     *
     * @param shapes the input shapes, batch axis first
     * @return this builder
     */
    public TrainingLoopBuilder setInputShapes(Shape... shapes) {
        draft.inputShapes = shapes.clone();
        return this;
    }

    /**
     * Sets the training data, iterated once per epoch through DJL's {@code iterateDataset}.
     *
     * @param dataset the data
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingSet(Dataset dataset) {
        draft.dataSource("setTrainingSet");
        draft.feedFactory = trainer -> new DatasetFeed(trainer, dataset);
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
        draft.dataSource("setTrainingLoader");
        draft.loader = loader;
        draft.feedFactory = trainer -> new LoaderFeed(loader);
        return this;
    }

    /**
     * Sets where the training batches come from, for feeds other than a data set or a loader.
     *
     * @param feedFactory makes the feed once the loop's trainer exists
     * @return this builder
     */
    public TrainingLoopBuilder setTrainingFeed(Function<Trainer, BatchFeed> feedFactory) {
        draft.dataSource("setTrainingFeed");
        draft.feedFactory = feedFactory;
        return this;
    }

    /**
     * Sets the devices to train on; by default the model's device.
     *
     * @param devices the devices; more than one splits each batch between them
     * @return this builder
     */
    public TrainingLoopBuilder optDevices(Device... devices) {
        draft.devices = devices.clone();
        return this;
    }

    /**
     * Sets how many threads libtorch splits one operator across (its intra-op threads). By default
     * the loop chooses them from the cores the process may use (a cgroup quota counts), less one
     * per loader worker and one for the JVM's own threads, unless {@code
     * -Dai.djl.pytorch.num_threads} or {@code OMP_NUM_THREADS} pins them; see {@link
     * EngineThreads}; libtorch's own, one per hardware core, collapses under any competing load.
     * The setting is process-wide.
     *
     * @param threads a positive number of threads
     * @return this builder
     */
    public TrainingLoopBuilder optThreads(int threads) {
        draft.threads = EngineThreads.fixed(threads, "optThreads");
        return this;
    }

    /**
     * Sets libtorch's threads as chosen elsewhere, e.g. by {@link EngineThreads#choose}.
     *
     * @param threads the setting
     * @return this builder
     */
    public TrainingLoopBuilder optThreads(EngineThreads threads) {
        draft.threads = threads;
        return this;
    }

    /**
     * Stops the run after this many optimizer steps (counting those before a resume).
     *
     * @param steps a positive number of steps
     * @return this builder
     */
    public TrainingLoopBuilder optSteps(long steps) {
        draft.maxSteps = steps;
        return this;
    }

    /**
     * Stops the run after this many passes over the training data.
     *
     * @param epochs a positive number of epochs
     * @return this builder
     */
    public TrainingLoopBuilder optEpochs(int epochs) {
        draft.maxEpochs = epochs;
        return this;
    }

    /**
     * Accumulates the gradients of k micro-batches (each loss divided by k) per optimizer step.
     *
     * @param k the number of micro-batches per step, at least 1
     * @return this builder
     */
    public TrainingLoopBuilder optAccumulate(int k) {
        draft.accumulate = k;
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
        draft.precision = precision;
        return this;
    }

    /**
     * Sets the memory layout of image batches (four-dimensional inputs); see {@link MemoryFormat}.
     *
     * @param format the layout; {@link MemoryFormat#AUTO} by default
     * @return this builder
     */
    public TrainingLoopBuilder optMemoryFormat(MemoryFormat format) {
        draft.memoryFormat = format;
        return this;
    }

    /**
     * Sets the loss scaler of mixed precision; by default PyTorch GradScaler's settings.
     *
     * @param lossScaler makes the scaler for a run
     * @return this builder
     */
    public TrainingLoopBuilder optLossScaler(Supplier<LossScaler> lossScaler) {
        draft.lossScaler = lossScaler;
        return this;
    }

    /**
     * Clips the gradients before each update.
     *
     * @param clipping by norm, by value, or both
     * @return this builder
     */
    public TrainingLoopBuilder optClipping(GradientClipping clipping) {
        draft.clipping = clipping;
        return this;
    }

    /**
     * Sets the run's one seed (default 42): of the initial parameters, of every step's random
     * numbers and of the order of a {@link #setTrainingLoader} loader's epochs, whose own seed must
     * be left out or equal to this one.
     *
     * @param seed the seed
     * @return this builder
     */
    public TrainingLoopBuilder optSeed(long seed) {
        draft.seed = seed;
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
        draft.checkpointDir = dir;
        draft.checkpointEvery = everySteps;
        draft.keepCheckpoints = keep;
        return this;
    }

    /**
     * Evaluates the model during training.
     *
     * @param validation the data, the evaluators and how often
     * @return this builder
     */
    public TrainingLoopBuilder optValidation(ValidationSettings validation) {
        draft.validation = validation;
        return this;
    }

    /**
     * Stops the run when a validation metric stops improving; needs {@link #optValidation}.
     *
     * @param earlyStopping the rule
     * @return this builder
     */
    public TrainingLoopBuilder optEarlyStopping(EarlyStopping earlyStopping) {
        draft.earlyStopping = earlyStopping;
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
        draft.divergenceCheck = enabled;
        return this;
    }

    /**
     * Sets how often, on a GPU, a step's phases are timed as device time: on every {@code steps}-th
     * step the loop waits for the device after the loss, the backward pass and the update. Such a
     * step loses the overlap of host and device work (at the default of 20, 5 % of the steps); the
     * others are timed whole. On the CPU every step is timed and this setting changes nothing.
     *
     * @param steps 1 for every step, 0 never to time the phases on a GPU (default 20)
     * @return this builder
     */
    public TrainingLoopBuilder optPhaseSyncEvery(int steps) {
        draft.phaseSyncEvery = steps;
        return this;
    }

    /** For tests: a device synchronizer (even on the CPU) and a clock for the phases. */
    TrainingLoopBuilder phaseClockForTest(PhaseClock.DeviceSync sync, LongSupplier clock) {
        draft.testSync = sync;
        draft.testClock = clock;
        return this;
    }

    /**
     * Publishes each step to a Micrometer registry: {@code train.step.duration} and the others.
     *
     * @param registry the registry
     * @return this builder
     */
    public TrainingLoopBuilder optMeterRegistry(MeterRegistry registry) {
        draft.registry = registry;
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
        draft.runDirectory = dir;
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
        draft.insightSettings = settings;
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
        draft.progressLog = enabled;
        return this;
    }

    /**
     * Adds a listener of the run's events.
     *
     * @param listener the listener
     * @return this builder
     */
    public TrainingLoopBuilder addListener(StepListener listener) {
        draft.listeners.add(listener);
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
        return new TrainingLoop(draft.check());
    }
}
