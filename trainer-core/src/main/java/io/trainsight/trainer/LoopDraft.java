package io.trainsight.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
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
import io.trainsight.trainer.internal.step.PhaseClock;
import io.trainsight.trainer.metrics.TrainingMetrics;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The settings of a {@link TrainingLoopBuilder} as its setters left them, unchecked. {@link
 * #check()} is what {@code build()} does before the loop exists: it checks every setting, names the
 * first one that is missing or wrong, and copies the settings into a {@link LoopConfig}.
 */
final class LoopDraft {

    Model model;
    Loss loss;
    Optimizer optimizer;
    Shape[] inputShapes;
    Device[] devices;
    Function<Trainer, BatchFeed> feedFactory;
    private String dataSetter;
    DataLoader loader;
    Long maxSteps;
    Integer maxEpochs;
    int accumulate = 1;
    Precision precision = Precision.FP32;
    MemoryFormat memoryFormat = MemoryFormat.AUTO;
    GradientClipping clipping = GradientClipping.NONE;
    Supplier<LossScaler> lossScaler = LossScaler::new;
    Long seed;
    Path checkpointDir;
    int checkpointEvery;
    int keepCheckpoints = 3;
    ValidationSettings validation;
    EarlyStopping earlyStopping;
    boolean divergenceCheck = true;
    int phaseSyncEvery = TrainingLoopBuilder.DEFAULT_PHASE_SYNC_EVERY;
    PhaseClock.DeviceSync testSync;
    LongSupplier testClock;
    EngineThreads threads;
    MeterRegistry registry;
    Path runDirectory;
    Consumer<RunInsight.Builder> insightSettings;
    boolean progressLog = true;
    final List<StepListener> listeners = new ArrayList<>();

    /** The training data has one source: a second setter of it is refused at once. */
    void dataSource(String setter) {
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
     * Checks the settings and copies them.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    LoopConfig check() {
        require(model, "model", "setModel");
        require(model.getBlock(), "model's block", "model.setBlock");
        require(loss, "loss", "setLoss");
        require(optimizer, "optimizer", "setOptimizer");
        require(inputShapes, "inputShapes", "setInputShapes");
        require(feedFactory, "training data", "setTrainingSet or setTrainingLoader");
        checkBudget();
        require(precision, "precision", "optPrecision");
        require(memoryFormat, "memoryFormat", "optMemoryFormat");
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
        Device[] trainOn = trainOn();
        if (earlyStopping != null && validation == null) {
            throw new IllegalArgumentException(
                    "early stopping needs validation: call optValidation");
        }
        if (insightSettings != null && runDirectory == null) {
            throw new IllegalArgumentException(
                    "optInsight adjusts the insight of optRunDirectory: call optRunDirectory too");
        }
        return assemble(trainOn, runSeed());
    }

    /** The budget, the accumulation and the phase-sync interval. */
    private void checkBudget() {
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
        if (phaseSyncEvery < 0) {
            throw new IllegalArgumentException(
                    "phaseSyncEvery must be 0 (never) or a positive number of steps, got "
                            + phaseSyncEvery);
        }
    }

    /**
     * The devices to train on (the model's by default), checked against the model and precision.
     */
    private Device[] trainOn() {
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
        return trainOn;
    }

    /** Copies the checked settings, with their defaults filled in, into the loop's config. */
    private LoopConfig assemble(Device[] trainOn, long runSeed) {
        boolean threadsGiven = threads != null;
        EngineThreads engineThreads =
                threadsGiven
                        ? threads
                        : EngineThreads.automatic(
                                loader == null ? 0 : loader.config().numWorkers());
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
                memoryFormat,
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
                engineThreads,
                threadsGiven,
                all,
                phaseSyncEvery,
                testSync,
                testClock);
    }

    /** The run's one seed: the loop's, else a loader's own, else 42; two different ones refused. */
    private long runSeed() {
        Long loaderSeed = loader != null && loader.seedGiven() ? loader.config().seed() : null;
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
