package io.trainsight.data.internal.loader;

import java.util.SplittableRandom;

/**
 * Which samples make up each batch of one epoch: the data set's indices in order, or shuffled by a
 * permutation drawn from the seed and the epoch number, cut into batches. The same seed and epoch
 * always give the same batches, whatever the number of workers, so a run can resume at any batch.
 */
public final class EpochPlan {

    private final long size;
    private final int batchSize;
    private final long batchCount;
    private final int[] order;

    private EpochPlan(long size, int batchSize, boolean dropLast, int[] order) {
        this.size = size;
        this.batchSize = batchSize;
        this.order = order;
        long full = size / batchSize;
        batchCount = dropLast || size % batchSize == 0 ? full : full + 1;
    }

    /**
     * Plans an epoch.
     *
     * @param size the number of samples in the data set
     * @param batchSize the number of samples in a batch
     * @param shuffle whether the samples are visited in a permuted order
     * @param seed the seed of the permutations
     * @param epoch the epoch number; each epoch gets its own permutation
     * @param dropLast whether a last batch smaller than {@code batchSize} is left out
     * @return the plan
     * @throws IllegalArgumentException if the size or batch size is out of range
     */
    public static EpochPlan of(
            long size, int batchSize, boolean shuffle, long seed, int epoch, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (size < 0 || (shuffle && size > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(
                    "A data set of "
                            + size
                            + " samples cannot be planned; valid sizes are 0 to "
                            + (shuffle ? Integer.MAX_VALUE + " when shuffling" : Long.MAX_VALUE));
        }
        return new EpochPlan(
                size, batchSize, dropLast, shuffle ? permutation(size, seed, epoch) : null);
    }

    /** Returns the number of batches in the epoch. */
    public long batchCount() {
        return batchCount;
    }

    /** Returns the number of samples the epoch visits. */
    public long sampleCount() {
        return Math.min(size, batchCount * batchSize);
    }

    /**
     * Returns the data set indices of a batch's samples.
     *
     * @param batch the batch's position in the epoch, from 0
     * @return the indices, in the order they are collated
     * @throws IndexOutOfBoundsException if the batch is not in the epoch
     */
    public long[] samples(long batch) {
        if (batch < 0 || batch >= batchCount) {
            throw new IndexOutOfBoundsException(
                    "batch " + batch + " is not in an epoch of " + batchCount + " batches");
        }
        long from = batch * batchSize;
        int count = (int) Math.min(batchSize, size - from);
        long[] indices = new long[count];
        for (int i = 0; i < count; i++) {
            indices[i] = order == null ? from + i : order[(int) from + i];
        }
        return indices;
    }

    /**
     * Returns how many samples the epoch has visited once this batch is done, as DJL's {@code
     * Batch.getProgress()} reports it.
     *
     * @param batch the batch's position in the epoch
     * @return the samples of the batches up to and including this one
     */
    public long progressAfter(long batch) {
        return Math.min(size, (batch + 1) * batchSize);
    }

    private static int[] permutation(long size, long seed, int epoch) {
        int n = (int) size;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // SplittableRandom mixes its seed, so neighbouring (seed, epoch) pairs give unrelated
        // orders.
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
