package io.trainsight.data.internal.loader;

import ai.djl.training.dataset.Batch;

/**
 * A built batch on its way to the consumer.
 *
 * @param index the batch's position in the epoch
 * @param batch the batch, owning its manager
 * @param loadNanos how long building it took
 * @param readyNanos the loader's ticker (normally {@link System#nanoTime()}) when it was ready
 */
public record Slot(long index, Batch batch, long loadNanos, long readyNanos) {}
