package io.trainsight.data.internal.loader;

/**
 * A share of a batch handed to a worker by {@link ReadyBuffer#claim()}.
 *
 * @param index the batch's position in the epoch
 * @param part the share of its samples to load
 * @param job the batch being built
 */
record Claim(long index, int part, BatchJob job) {}
