package io.trainsight.data.internal.loader;

import ai.djl.training.dataset.RandomAccessDataset;

/** Opens the {@link BatchSource} of one epoch for a loader's settings. */
public final class EpochSources {

    private EpochSources() {}

    /**
     * Returns the number of batches of an epoch, or -1 when the data set does not say in advance.
     *
     * @param config the loader's settings
     * @return the batch count, the same for every epoch, or -1
     */
    public static long batchCount(LoaderConfig config) {
        return config.randomAccess() ? plan(config, 0).batchCount() : -1;
    }

    /**
     * Checks where an epoch is to start.
     *
     * @param epoch the epoch number, 0 or more
     * @param startBatch the first batch to deliver, 0 to {@code batchCount}
     * @param batchCount the batches of an epoch, or -1 when unknown (no upper bound)
     * @throws IllegalArgumentException if the epoch or the start batch is out of range
     */
    public static void checkStart(int epoch, long startBatch, long batchCount) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be 0 or more, got " + epoch);
        }
        if (startBatch < 0 || (batchCount >= 0 && startBatch > batchCount)) {
            throw new IllegalArgumentException(
                    "startBatch must be between 0 and the "
                            + (batchCount >= 0 ? batchCount + " " : "")
                            + "batches of an epoch, got "
                            + startBatch);
        }
    }

    /**
     * Starts an epoch: with workers, they begin building batches at once.
     *
     * @param config the loader's settings
     * @param epoch the epoch number, which (with the seed) picks the shuffled order
     * @param start the first batch to deliver; the ones before it are not built (a data set that is
     *     not random access reads and drops them)
     * @return the epoch's batches
     */
    public static BatchSource open(LoaderConfig config, int epoch, long start) {
        BatchMaker maker;
        long end;
        if (config.randomAccess()) {
            EpochPlan plan = plan(config, epoch);
            end = plan.batchCount();
            maker =
                    new PlannedMaker(
                            plan,
                            (RandomAccessDataset) config.dataset(),
                            config.root(),
                            config.collation());
        } else {
            end = Long.MAX_VALUE;
            maker = new StreamMaker(config.dataset(), config.root(), config.collation());
        }
        if (config.numWorkers() == 0) {
            return new InlineSource(maker, start, end, config.ticker());
        }
        // A data set's own iterator is sequential: one thread reads it, however many were asked.
        int workers = config.randomAccess() ? config.numWorkers() : 1;
        // Every worker may take a share of one batch, so the first batch comes after a fraction
        // of a batch's load time instead of a whole one.
        ReadyBuffer buffer =
                new ReadyBuffer(
                        maker,
                        workers,
                        start,
                        end,
                        config.capacity(),
                        config.inOrder(),
                        config.timeoutNanos(),
                        config.ticker());
        return new PrefetchingSource(
                buffer, maker, workers, config.randomAccess() ? "" : "reader", config.ticker());
    }

    private static EpochPlan plan(LoaderConfig config, int epoch) {
        RandomAccessDataset dataset = (RandomAccessDataset) config.dataset();
        return EpochPlan.of(
                dataset.size(),
                config.batchSize(),
                config.shuffle(),
                config.seed(),
                epoch,
                config.dropLast());
    }
}
