package io.trainsight.data;

/**
 * How one batch reached the consumer: where its time went between the moment a worker started
 * building it and the moment the consumer's {@code hasNext()}/{@code next()} handed it over.
 *
 * <p>{@code loadNanos} is the worker's cost; {@code queuedNanos} is slack (the batch was ready
 * before it was wanted); {@code waitNanos} is the trainer's data wait (it wanted a batch before one
 * was ready). A loader that hides I/O shows large {@code queuedNanos} and near-zero {@code
 * waitNanos}; an input-bound run shows the opposite.
 *
 * @param index the batch's position in the epoch, in sampler order, from 0
 * @param loadNanos worker time spent building the batch: reading its samples, applying the
 *     pipelines, collating them and moving the batch to the device, summed over the workers that
 *     shared its samples (so it can exceed the wall time the batch took); with {@code numWorkers =
 *     0} this happens on the consumer's thread and is also part of {@code waitNanos}
 * @param queuedNanos time from the moment the batch was ready until the consumer took it
 * @param waitNanos time the consumer was blocked in {@code hasNext()} and {@code next()} before
 *     this batch was handed over
 */
public record BatchTiming(long index, long loadNanos, long queuedNanos, long waitNanos) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the index or a duration is negative
     */
    public BatchTiming {
        if (index < 0 || loadNanos < 0 || queuedNanos < 0 || waitNanos < 0) {
            throw new IllegalArgumentException(
                    "A batch timing holds a non-negative index and durations, got index "
                            + index
                            + ", load "
                            + loadNanos
                            + " ns, queued "
                            + queuedNanos
                            + " ns, wait "
                            + waitNanos
                            + " ns");
        }
    }
}
