package io.trainsight.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.engine.EngineThreads;
import io.trainsight.trainer.internal.feed.BatchFeed;
import io.trainsight.trainer.internal.step.PhaseClock;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The settings of a {@link TrainingLoop}, copied out of its builder by {@link
 * TrainingLoopBuilder#build()}: a builder call after {@code build()} changes nothing that exists.
 */
record LoopConfig(
        Model model,
        Loss loss,
        Optimizer optimizer,
        Shape[] inputShapes,
        Device[] devices,
        Function<Trainer, BatchFeed> feedFactory,
        long maxSteps,
        int maxEpochs,
        int accumulate,
        Precision precision,
        MemoryFormat memoryFormat,
        GradientClipping clipping,
        Supplier<LossScaler> lossScaler,
        long seed,
        Path checkpointDir,
        int checkpointEvery,
        int keepCheckpoints,
        ValidationSettings validation,
        EarlyStopping earlyStopping,
        boolean divergenceCheck,
        MeterRegistry registry,
        Path runDirectory,
        Consumer<RunInsight.Builder> insightSettings,
        boolean progressLog,
        EngineThreads threads,
        boolean threadsGiven,
        List<StepListener> listeners,
        int phaseSyncEvery,
        PhaseClock.DeviceSync testSync,
        LongSupplier testClock) {

    LoopConfig {
        inputShapes = inputShapes.clone();
        devices = devices.clone();
        listeners = List.copyOf(listeners);
    }

    @Override
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }

    @Override
    public Device[] devices() {
        return devices.clone();
    }

    /**
     * Makes the clock of the step phases: device time on every {@code phaseSyncEvery}-th step of a
     * GPU run (through the engine's synchronizer, or a test's).
     */
    PhaseClock phaseClock(PhaseClock.DeviceSync engineSync) {
        PhaseClock.DeviceSync sync = testSync != null ? testSync : engineSync;
        return new PhaseClock(
                sync, phaseSyncEvery, testClock != null ? testClock : System::nanoTime);
    }
}
