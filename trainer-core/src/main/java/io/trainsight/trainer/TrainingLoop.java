package io.trainsight.trainer;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.translate.TranslateException;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.checkpoint.ResumePoint;
import io.trainsight.trainer.checkpoint.TrainingState;
import io.trainsight.trainer.engine.MklDispatch;
import io.trainsight.trainer.internal.engine.EngineSync;
import io.trainsight.trainer.internal.feed.BatchFeed;
import io.trainsight.trainer.internal.memory.NativeMemory;
import io.trainsight.trainer.internal.step.Evaluation;
import io.trainsight.trainer.internal.step.StepRunner;
import io.trainsight.trainer.progress.ProgressLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DJL model: the user brings the {@link Model}, the loss, the optimizer and the data; the
 * loop runs the steps on DJL's primitives, times each one into a {@link StepRecord} (data wait,
 * forward, backward, optimizer), and adds what DJL's {@code EasyTrain} lacks: gradient
 * accumulation, clipping by norm and by value, FP16 mixed precision with dynamic loss scaling,
 * checkpoints that resume exactly, validation with early stopping, and a clear end on running out
 * of memory.
 *
 * <pre>{@code
 * try (TrainingLoop loop = TrainingLoop.builder()
 *         .setModel(model)
 *         .setLoss(Loss.softmaxCrossEntropyLoss())
 *         .setOptimizer(Optimizer.adam().build())
 *         .setInputShapes(new Shape(64, 784))
 *         .setTrainingSet(dataset)
 *         .optSteps(1000)
 *         .addListener(new StepLogWriter(dir.resolve("steps.jsonl")))
 *         .build()) {
 *     TrainingResult result = loop.run();
 * }
 * }</pre>
 *
 * <p>A loop runs once ({@link #run()} or {@link #resume(Path)}); close it to free its trainer.
 */
public final class TrainingLoop implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(TrainingLoop.class);

    private final LoopConfig config;
    private final Trainer trainer;
    private final BatchFeed feed;
    private final LossScaler scaler;
    private final StepRunner runner;
    private final EngineSync deviceSync;
    private final Checkpointer checkpointer;
    private final RunInsight insight;
    private final List<StepListener> listeners;
    private boolean ran;
    private volatile boolean stopRequested;

    TrainingLoop(LoopConfig config) {
        this.config = config;
        if (config.threadsGiven()) {
            logger.debug("{}", config.threads().describe());
        } else {
            logger.info("{}", config.threads().describe());
        }
        config.threads().apply();
        MklDispatch mkl = MklDispatch.beforeEngineStart(); // decided when DJL's engine started
        if (mkl.state() != MklDispatch.State.NOT_NEEDED) {
            logger.info("{}", mkl.describe());
        }
        NativeMemory.keepFreedMemory();
        Model model = config.model();
        if (config.precision() == Precision.FP16) {
            model.setDataType(DataType.FLOAT16);
        }
        trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(config.loss())
                                .optOptimizer(config.optimizer())
                                .optDevices(config.devices()));
        // The initial parameters depend on the run's seed only.
        model.getNDManager().getEngine().setRandomSeed(RunState.fresh(config.seed()).initSeed());
        trainer.initialize(config.inputShapes());
        feed = config.feedFactory().apply(trainer);
        scaler = config.precision() == Precision.FP16 ? config.lossScaler().get() : null;
        deviceSync = EngineSync.of(trainer.getManager(), trainer.getDevices());
        runner =
                new StepRunner(
                        trainer,
                        config.optimizer(),
                        config.accumulate(),
                        config.clipping(),
                        scaler,
                        config.phaseClock(deviceSync),
                        config.memoryFormat().channelsLast(model.getBlock(), config.devices()));
        logMemoryFormat(model.getBlock());
        checkpointer =
                config.checkpointDir() == null
                        ? null
                        : new Checkpointer(config.checkpointDir(), config.keepCheckpoints());
        List<StepListener> all = new ArrayList<>(config.listeners());
        if (config.progressLog()) {
            all.add(new ProgressLog());
        }
        insight = config.runDirectory() == null ? null : RunDirectoryInsight.build(config);
        if (insight != null) {
            all.add(insight);
        }
        listeners = List.copyOf(all);
    }

    /** Returns a builder of a training loop. */
    public static TrainingLoopBuilder builder() {
        return new TrainingLoopBuilder();
    }

    /**
     * Asks the loop to stop: the step in flight finishes, a checkpoint of it is written (when
     * checkpoints are on), the listeners hear the end, and {@link #run()} or {@link #resume(Path)}
     * returns with {@link StopReason#INTERRUPTED}. Safe to call from any thread, any number of
     * times, also before the run starts (it then ends before its first step).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Returns whether {@link #requestStop()} was called. */
    public boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Returns the insight {@link TrainingLoopBuilder#optRunDirectory} set up, e.g. to print its
     * table or read its findings after the run.
     *
     * @return the insight; empty without a run directory
     */
    public Optional<RunInsight> insight() {
        return Optional.ofNullable(insight);
    }

    /** Returns the DJL trainer the loop drives, e.g. to evaluate after training. */
    public Trainer getTrainer() {
        return trainer;
    }

    /**
     * Trains from the model's initial parameters until a budget is reached.
     *
     * @return what the run did
     * @throws IOException if the data or a checkpoint cannot be read or written
     * @throws TrainingOutOfMemoryException if the engine runs out of memory
     */
    public TrainingResult run() throws IOException {
        return train(RunState.fresh(config.seed()));
    }

    /**
     * Continues the run saved in the newest intact checkpoint of a directory (newer damaged ones
     * are renamed aside to {@code .corrupt}, with a warning), exactly as if it had not stopped:
     * same parameters, optimizer state, loss scale, data position and random numbers. The budget
     * counts the steps done before the checkpoint.
     *
     * @param checkpointDir a directory of checkpoints, or one checkpoint file
     * @return what the whole run did
     * @throws IOException if no checkpoint can be read there
     */
    public TrainingResult resume(Path checkpointDir) throws IOException {
        Path file = checkpointDir;
        if (Files.isDirectory(checkpointDir)) {
            ResumePoint point =
                    Checkpointer.newestIntact(checkpointDir)
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    "No checkpoint (step-*.ckpt) in "
                                                            + checkpointDir
                                                            + " to resume from"));
            if (point.describe() != null) {
                logger.warn("{}", point.describe());
            }
            file = point.file();
        }
        TrainingState saved =
                TrainingCheckpoints.restore(
                        file,
                        trainer.getManager(),
                        runner,
                        config.optimizer(),
                        scaler,
                        config.precision());
        return train(RunState.of(saved));
    }

    /**
     * Evaluates the model on a data set, without training.
     *
     * @param dataset the data
     * @param evaluators the evaluators
     * @return each evaluator's value, by name
     * @throws IOException if the data cannot be read
     */
    public Map<String, Float> evaluate(Dataset dataset, List<? extends Evaluator> evaluators)
            throws IOException {
        try {
            return Evaluation.run(trainer, dataset, evaluators, runner.inputs());
        } catch (TranslateException e) {
            throw new IOException("Cannot read the evaluation data: " + e.getMessage(), e);
        }
    }

    private TrainingResult train(RunState state) throws IOException {
        if (ran) {
            throw new IllegalStateException("A TrainingLoop runs once; build another one");
        }
        ran = true;
        config.threads().apply(); // for the thread that trains, which need not have built it
        long origin = System.nanoTime();
        state.lastEnd = origin;
        RunStart start =
                RunPlan.start(
                        config, feed, trainer, runner.inputs().channelsLast(), origin, state.step);
        for (StepListener listener : listeners) {
            listener.onTrainingBegin(start);
        }
        StepLoop loop = new StepLoop(this, state);
        StopReason reason = StopReason.FAILED;
        Throwable failure = null;
        TrainingResult result;
        try {
            reason = loop.run();
        } catch (TrainingOutOfMemoryException e) {
            reason = StopReason.OUT_OF_MEMORY;
            failure = e;
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            result =
                    new TrainingResult(
                            state.step,
                            state.epoch,
                            state.samples,
                            origin,
                            state.lastEnd - origin,
                            state.stepsThisRun,
                            reason,
                            loop.lastCheckpoint());
            for (StepListener listener : listeners) {
                if (failure != null) {
                    listener.onTrainingFailure(failure);
                }
                listener.onTrainingEnd(result);
            }
        }
        return result;
    }

    LoopConfig config() {
        return config;
    }

    Trainer trainer() {
        return trainer;
    }

    BatchFeed feed() {
        return feed;
    }

    LossScaler scaler() {
        return scaler;
    }

    StepRunner runner() {
        return runner;
    }

    Checkpointer checkpointer() {
        return checkpointer;
    }

    List<StepListener> listeners() {
        return listeners;
    }

    @Override
    public void close() {
        try {
            if (insight != null) {
                insight.close();
            }
        } finally {
            runner.close();
            if (deviceSync != null) {
                deviceSync.close();
            }
            trainer.close();
        }
    }

    /** Says how image batches are laid out: at info for a model that takes images. */
    private void logMemoryFormat(Block block) {
        String line = config.memoryFormat().describe(block, config.devices());
        boolean images = false;
        for (Shape shape : config.inputShapes()) {
            images |= shape.dimension() == 4;
        }
        if (images) {
            logger.info("{}", line);
        } else {
            logger.debug("{}", line);
        }
    }
}
