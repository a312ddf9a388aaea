package io.trainsight.trainer.checkpoint;

/**
 * Where a run stands after an optimizer step: enough, with the parameters and the optimizer's
 * state, to continue it exactly.
 *
 * @param step the number of optimizer steps done
 * @param epoch the 1-based epoch the next batch comes from
 * @param batchesInEpoch the number of batches of that epoch already consumed
 * @param samples the number of training samples seen
 * @param lossScale the loss scale (1 in FP32)
 * @param cleanSteps the loss scaler's count of clean steps in a row (0 in FP32)
 * @param seed the run's seed; data order and every step's random numbers derive from it
 * @param precision the precision the run trains in, e.g. {@code fp16}
 * @param trainingNanos the time spent training so far, for throughput across restarts
 */
public record TrainingState(
        long step,
        int epoch,
        long batchesInEpoch,
        long samples,
        float lossScale,
        int cleanSteps,
        long seed,
        String precision,
        long trainingNanos) {}
