package io.trainsight.data.internal.loader;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.function.LongSupplier;

/**
 * A loader's validated settings, as {@code DataLoader.Builder} collects them.
 *
 * @param dataset the data set read
 * @param root the manager under which every batch gets its own sub-manager
 * @param batchSize samples per batch (random-access data sets only)
 * @param numWorkers threads that build batches; 0 builds them on the consumer's thread
 * @param prefetchFactor batches each worker may build ahead of the consumer
 * @param shuffle whether each epoch visits the samples in its own permuted order
 * @param seed the seed of the permutations
 * @param dropLast whether a last, smaller batch is left out
 * @param timeoutNanos how long the consumer waits for a batch before failing, or 0 for no limit
 * @param inOrder whether batches are handed over in sampler order
 * @param collation how samples become a batch
 * @param ticker the nanosecond clock the batch timings are measured with
 */
public record LoaderConfig(
        Dataset dataset,
        NDManager root,
        int batchSize,
        int numWorkers,
        int prefetchFactor,
        boolean shuffle,
        long seed,
        boolean dropLast,
        long timeoutNanos,
        boolean inOrder,
        Collation collation,
        LongSupplier ticker) {

    /** Returns whether the data set is read by index, in batches the loader plans. */
    public boolean randomAccess() {
        return dataset instanceof RandomAccessDataset;
    }

    /**
     * Returns these settings with another seed.
     *
     * @param seed the seed of the shuffled orders
     * @return the copy
     */
    public LoaderConfig withSeed(long seed) {
        return new LoaderConfig(
                dataset,
                root,
                batchSize,
                numWorkers,
                prefetchFactor,
                shuffle,
                seed,
                dropLast,
                timeoutNanos,
                inOrder,
                collation,
                ticker);
    }

    /** Returns how many batches may be in flight (being built or ready) at once. */
    public int capacity() {
        return Math.max(1, numWorkers) * prefetchFactor;
    }
}
