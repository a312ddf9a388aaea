package io.trainsight.trainer;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.training.dataset.Batch;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.insight.timeline.ValidationResult;
import io.trainsight.trainer.internal.engine.OutOfMemory;
import io.trainsight.trainer.internal.feed.BatchFeed;
import io.trainsight.trainer.internal.step.StepRunner;
import io.trainsight.trainer.validation.ValidationSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The epochs and steps of one run of a {@link TrainingLoop}. */
final class StepLoop {

    private final TrainingLoop loop;
    private final LoopConfig config;
    private final StepRunner runner;
    private final RunState state;
    private final Engine engine;
    private Path lastCheckpoint;
    private long checkpointedStep = -1;
    private int batchSize;
    private boolean updating;

    private enum EpochEnd {
        DATA_EXHAUSTED,
        BUDGET,
        EARLY_STOP,
        STOP_REQUESTED
    }

    StepLoop(TrainingLoop loop, RunState state) {
        this.loop = loop;
        this.config = loop.config();
        this.runner = loop.runner();
        this.state = state;
        this.engine = loop.trainer().getManager().getEngine();
    }

    Path lastCheckpoint() {
        return lastCheckpoint;
    }

    StopReason run() throws IOException {
        try {
            StopReason reason = epochs();
            if (loop.checkpointer() != null && checkpointedStep != state.step && state.step > 0) {
                writeCheckpoint();
            }
            return reason;
        } catch (EngineException e) {
            if (OutOfMemory.isOutOfMemory(e)) {
                throw outOfMemory(e);
            }
            throw e;
        }
    }

    private StopReason epochs() throws IOException {
        while (state.step < config.maxSteps()) {
            EpochEnd end = runEpoch();
            if (end == EpochEnd.EARLY_STOP) {
                return StopReason.EARLY_STOPPING;
            }
            if (end == EpochEnd.BUDGET) {
                return StopReason.BUDGET;
            }
            if (end == EpochEnd.STOP_REQUESTED) {
                return StopReason.INTERRUPTED;
            }
            for (StepListener listener : loop.listeners()) {
                listener.onEpochEnd(state.epoch);
            }
            ValidationSettings validation = config.validation();
            if (validation != null && due(validation.everyEpochs(), state.epoch) && validate()) {
                return StopReason.EARLY_STOPPING;
            }
            if (state.epoch >= config.maxEpochs()) {
                return StopReason.BUDGET;
            }
            state.nextEpoch();
        }
        return StopReason.BUDGET;
    }

    private EpochEnd runEpoch() throws IOException {
        long seed = state.epochSeed(state.epoch);
        try (BatchFeed.Epoch batches = loop.feed().open(state.epoch, state.batchesInEpoch, seed)) {
            while (state.step < config.maxSteps()) {
                if (loop.isStopRequested()) {
                    return EpochEnd.STOP_REQUESTED;
                }
                int micro = runStep(batches);
                if (micro == 0) {
                    break;
                }
                ValidationSettings validation = config.validation();
                if (validation != null && due(validation.everySteps(), state.step) && validate()) {
                    return EpochEnd.EARLY_STOP;
                }
                if (micro < config.accumulate()) {
                    break;
                }
            }
            if (state.step >= config.maxSteps()) {
                return EpochEnd.BUDGET;
            }
        }
        if (state.batchesInEpoch == 0) {
            throw new IllegalStateException(
                    "The training set yielded no batch in epoch " + state.epoch);
        }
        return EpochEnd.DATA_EXHAUSTED;
    }

    /** Runs one optimizer step; returns the number of micro-batches it took, 0 at epoch end. */
    private int runStep(BatchFeed.Epoch batches) throws IOException {
        long start = System.nanoTime();
        engine.setRandomSeed(state.stepSeed(state.step + 1));
        runner.begin(state.step + 1, state.epoch, start);
        int micro = 0;
        while (micro < config.accumulate() && batches.next()) {
            Batch batch = batches.batch();
            try {
                batchSize = (int) batch.getSize();
                runner.addMicroBatch(batch, batches.waitNanos());
            } finally {
                batch.close();
            }
            micro++;
            state.batchesInEpoch++;
        }
        if (micro == 0) {
            runner.abandon();
            return 0;
        }
        updating = true;
        StepRecord record = runner.finish();
        updating = false;
        state.after(record);
        for (StepListener listener : loop.listeners()) {
            listener.onStep(record);
        }
        if (config.divergenceCheck() && !record.skipped() && !Float.isFinite(record.loss())) {
            throw new IllegalStateException(
                    "The training loss diverged at step "
                            + record.step()
                            + " ("
                            + record.loss()
                            + "); lower the learning rate or clip the gradients");
        }
        if (loop.checkpointer() != null && due(config.checkpointEvery(), state.step)) {
            writeCheckpoint();
        }
        return micro;
    }

    private static boolean due(int interval, long counter) {
        return interval > 0 && counter % interval == 0;
    }

    /** Evaluates the model; returns whether early stopping says to stop. */
    private boolean validate() throws IOException {
        long start = System.nanoTime();
        Map<String, Float> values =
                loop.evaluate(config.validation().dataset(), config.validation().evaluators());
        ValidationResult result =
                new ValidationResult(state.step, state.epoch, values, System.nanoTime() - start);
        for (StepListener listener : loop.listeners()) {
            listener.onValidation(result);
        }
        return config.earlyStopping() != null && config.earlyStopping().shouldStop(result);
    }

    private void writeCheckpoint() throws IOException {
        for (StepListener listener : loop.listeners()) {
            listener.beforeCheckpoint(state.step);
        }
        long start = System.nanoTime();
        lastCheckpoint =
                TrainingCheckpoints.write(
                        loop.checkpointer(),
                        state.save(loop.scaler(), config.precision()),
                        runner,
                        config.optimizer());
        checkpointedStep = state.step;
        long nanos = System.nanoTime() - start;
        for (StepListener listener : loop.listeners()) {
            listener.onCheckpoint(state.step, nanos);
        }
    }

    private TrainingOutOfMemoryException outOfMemory(EngineException error) {
        runner.abandon();
        String saved;
        if (updating) {
            saved =
                    "it struck while the optimizer updated the parameters, so this state was not"
                            + " saved"
                            + (lastCheckpoint == null
                                    ? ""
                                    : "; the last checkpoint is " + lastCheckpoint);
        } else if (loop.checkpointer() == null) {
            saved = "checkpoints are off, so nothing was saved";
        } else if (state.step == 0) {
            saved = "no step had finished, so there was nothing to save";
        } else {
            try {
                if (checkpointedStep != state.step) {
                    writeCheckpoint();
                }
                saved = "the last good step, " + state.step + ", is saved in " + lastCheckpoint;
            } catch (IOException | RuntimeException e) {
                error.addSuppressed(e);
                saved = "saving the last good step failed: " + e.getMessage();
            }
        }
        String message =
                String.format(
                        "Out of memory at step %d (batch size %d, %d micro-batch(es) per step): %s;"
                                + " %s. Try mixed precision (fp16), gradient accumulation with"
                                + " smaller micro-batches, or a smaller batch",
                        state.step + 1,
                        batchSize,
                        config.accumulate(),
                        OutOfMemory.firstLine(error),
                        saved);
        return new TrainingOutOfMemoryException(message, state.step + 1, batchSize, error);
    }
}
