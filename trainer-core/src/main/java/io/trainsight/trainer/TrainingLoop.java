package io.trainsight.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import io.trainsight.trainer.timeline.StepRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Trains a DJL {@link Trainer} on a {@link Dataset} for a budget of steps or epochs, timing every
 * step and handing a {@link StepRecord} of it to the listeners.
 *
 * <p>The loop is built from DJL's primitives ({@link GradientCollector}, {@link Trainer#step()}),
 * like {@code EasyTrain.trainBatch}, and adds what EasyTrain cannot see: the time each step waited
 * for its batch. A step ends once its loss has been read back, which waits for the device.
 *
 * <pre>{@code
 * TrainingResult result = TrainingLoop.builder()
 *         .setTrainer(trainer)
 *         .setTrainingSet(dataset)
 *         .optSteps(1000)
 *         .addListener(stepLog)
 *         .build()
 *         .run();
 * }</pre>
 */
public final class TrainingLoop {

    private final Trainer trainer;
    private final Dataset trainingSet;
    private final long maxSteps;
    private final int maxEpochs;
    private final List<StepListener> listeners;

    private TrainingLoop(Builder builder) {
        trainer = builder.trainer;
        trainingSet = builder.trainingSet;
        maxSteps = builder.maxSteps;
        maxEpochs = builder.maxEpochs;
        listeners = List.copyOf(builder.listeners);
    }

    /** Returns a builder of a training loop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the loop until the step or epoch budget is reached, whichever comes first.
     *
     * @return what the run did
     * @throws IOException if the data set cannot be read
     * @throws TranslateException if a batch cannot be built
     */
    public TrainingResult run() throws IOException, TranslateException {
        long origin = System.nanoTime();
        for (StepListener listener : listeners) {
            listener.onTrainingBegin(origin);
        }
        Progress progress = new Progress();
        boolean completed = false;
        TrainingResult result;
        try {
            while (progress.epoch < maxEpochs && progress.step < maxSteps) {
                progress.epoch++;
                long stepsBefore = progress.step;
                runEpoch(progress);
                if (progress.step == stepsBefore) {
                    throw new IllegalStateException(
                            "The training set yielded no batch in epoch " + progress.epoch);
                }
                for (StepListener listener : listeners) {
                    listener.onEpochEnd(progress.epoch);
                }
            }
            completed = true;
        } finally {
            result =
                    new TrainingResult(
                            progress.step,
                            progress.epoch,
                            progress.samples,
                            origin,
                            progress.lastEnd == 0 ? 0 : progress.lastEnd - origin,
                            completed);
            for (StepListener listener : listeners) {
                listener.onTrainingEnd(result);
            }
        }
        return result;
    }

    private void runEpoch(Progress progress) throws IOException, TranslateException {
        Iterator<Batch> batches = trainer.iterateDataset(trainingSet).iterator();
        while (progress.step < maxSteps) {
            long start = System.nanoTime();
            if (!batches.hasNext()) {
                return;
            }
            Batch batch = batches.next();
            long dataWait = System.nanoTime() - start;
            StepRecord record;
            try {
                record = trainStep(batch, progress.step + 1, progress.epoch, start, dataWait);
            } finally {
                batch.close();
            }
            progress.step = record.step();
            progress.samples += record.samples();
            progress.lastEnd = record.endNanos();
            for (StepListener listener : listeners) {
                listener.onStep(record);
            }
        }
    }

    private StepRecord trainStep(Batch batch, long step, int epoch, long start, long dataWait) {
        Batch[] splits = batch.split(trainer.getDevices(), false);
        NDArray[] losses = new NDArray[splits.length];
        long forward = 0;
        long backward = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (int i = 0; i < splits.length; i++) {
                long t0 = System.nanoTime();
                NDList labels = splits[i].getLabels();
                NDList predictions = trainer.forward(splits[i].getData(), labels);
                losses[i] = trainer.getLoss().evaluate(labels, predictions);
                long t1 = System.nanoTime();
                collector.backward(losses[i]);
                forward += t1 - t0;
                backward += System.nanoTime() - t1;
            }
        }
        long optimizerStart = System.nanoTime();
        trainer.step();
        long optimizer = System.nanoTime() - optimizerStart;
        float loss = 0;
        for (NDArray splitLoss : losses) {
            loss += splitLoss.getFloat(); // reading the loss back waits for the device
        }
        loss /= losses.length;
        long end = System.nanoTime();
        return new StepRecord(
                step,
                epoch,
                start,
                end,
                dataWait,
                forward,
                backward,
                optimizer,
                loss,
                (int) batch.getSize());
    }

    /** The mutable position of a run, kept off the public API. */
    private static final class Progress {
        long step;
        int epoch;
        long samples;
        long lastEnd;
    }

    /** Configures a {@link TrainingLoop}, in DJL's builder vocabulary. */
    public static final class Builder {

        private Trainer trainer;
        private Dataset trainingSet;
        private long maxSteps = Long.MAX_VALUE;
        private int maxEpochs = Integer.MAX_VALUE;
        private final List<StepListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * Sets the DJL trainer: its model, loss, optimizer and devices are the ones trained.
         *
         * @param trainer an initialized trainer
         * @return this builder
         */
        public Builder setTrainer(Trainer trainer) {
            this.trainer = trainer;
            return this;
        }

        /**
         * Sets the data set iterated once per epoch.
         *
         * @param trainingSet the training data
         * @return this builder
         */
        public Builder setTrainingSet(Dataset trainingSet) {
            this.trainingSet = trainingSet;
            return this;
        }

        /**
         * Stops the run after this many optimizer steps.
         *
         * @param steps a positive number of steps
         * @return this builder
         */
        public Builder optSteps(long steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be a positive number, got " + steps);
            }
            this.maxSteps = steps;
            return this;
        }

        /**
         * Stops the run after this many passes over the training set.
         *
         * @param epochs a positive number of epochs
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            if (epochs <= 0) {
                throw new IllegalArgumentException(
                        "epochs must be a positive number, got " + epochs);
            }
            this.maxEpochs = epochs;
            return this;
        }

        /**
         * Adds a listener that sees every step.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(StepListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Builds the loop.
         *
         * @return the loop
         * @throws IllegalArgumentException if the trainer, the training set or a budget is missing
         */
        public TrainingLoop build() {
            if (trainer == null) {
                throw new IllegalArgumentException("trainer is required: call setTrainer");
            }
            if (trainingSet == null) {
                throw new IllegalArgumentException("trainingSet is required: call setTrainingSet");
            }
            if (maxSteps == Long.MAX_VALUE && maxEpochs == Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "a budget is required: call optSteps, optEpochs or both");
            }
            return new TrainingLoop(this);
        }
    }
}
