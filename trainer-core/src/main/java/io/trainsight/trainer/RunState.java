package io.trainsight.trainer;

import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.checkpoint.TrainingState;

/** The position of a running loop; {@link TrainingState} is its saved form. */
final class RunState {

    long step;
    int epoch = 1;
    long batchesInEpoch;
    long samples;
    long trainingNanos;
    long seed;
    long stepsThisRun;
    long lastEnd;

    static RunState fresh(long seed) {
        RunState state = new RunState();
        state.seed = seed;
        return state;
    }

    static RunState of(TrainingState saved) {
        RunState state = new RunState();
        state.step = saved.step();
        state.epoch = saved.epoch();
        state.batchesInEpoch = saved.batchesInEpoch();
        state.samples = saved.samples();
        state.trainingNanos = saved.trainingNanos();
        state.seed = saved.seed();
        return state;
    }

    void after(StepRecord record) {
        step = record.step();
        samples += record.samples();
        trainingNanos += record.durationNanos();
        stepsThisRun++;
        lastEnd = record.endNanos();
    }

    void nextEpoch() {
        epoch++;
        batchesInEpoch = 0;
    }

    TrainingState save(LossScaler scaler, Precision precision) {
        return new TrainingState(
                step,
                epoch,
                batchesInEpoch,
                samples,
                scaler == null ? 1f : scaler.getScale(),
                scaler == null ? 0 : scaler.getCleanSteps(),
                seed,
                precision.toString(),
                trainingNanos);
    }

    private static final long EPOCH_SALT = 0x5DEECE66DL;
    private static final long INIT_SALT = 0x2545F4914F6CDD1DL;

    /** Returns the seed of the initial parameters. */
    int initSeed() {
        return (int) mix(seed ^ INIT_SALT, 0);
    }

    /** Returns the seed of an epoch's data order. */
    long epochSeed(int epoch) {
        return mix(seed ^ EPOCH_SALT, epoch);
    }

    /** Returns the seed of a step's random numbers (dropout, random augmentation). */
    int stepSeed(long step) {
        return (int) mix(seed, step);
    }

    /** SplitMix64 of the seed and a counter: independent streams from one seed. */
    private static long mix(long seed, long counter) {
        long z = seed + 0x9E3779B97F4A7C15L * (counter + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & 0x7FFFFFFFL;
    }
}
