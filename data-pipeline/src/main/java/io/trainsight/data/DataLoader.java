package io.trainsight.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;
import ai.djl.translate.TranslateException;
import io.trainsight.data.internal.loader.EpochSources;
import io.trainsight.data.internal.loader.LoaderConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Loads a DJL data set in batches on worker threads, ahead of the consumer, and tells the consumer
 * how long each batch took to load, sat ready, and was waited for. The options are PyTorch
 * DataLoader's, in DJL's builder vocabulary.
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.builder()
 *         .setDataset(dataset)
 *         .setBatchSize(32)
 *         .optNumWorkers(4)
 *         .optShuffle(true)
 *         .optSeed(42)
 *         .build()) {
 *     for (int epoch = 1; epoch <= epochs; epoch++) {
 *         try (EpochIterator batches = loader.epoch(epoch)) {
 *             for (LoadedBatch batch : batches) {
 *                 try (batch) {
 *                     train(batch.batch());
 *                     dataWait += batch.timing().waitNanos();
 *                 }
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>One epoch is open at a time: opening the next closes the previous one. Closing the loader
 * closes the open epoch (stopping its threads) and, if the loader created its manager, every batch
 * it made.
 */
public final class DataLoader implements AutoCloseable {

    private final LoaderConfig config;
    private final boolean ownsManager;
    private final boolean seedGiven;
    private final long batchCount;
    private EpochIterator current;
    private boolean closed;

    private DataLoader(LoaderConfig config, boolean ownsManager, boolean seedGiven) {
        this.config = config;
        this.ownsManager = ownsManager;
        this.seedGiven = seedGiven;
        this.batchCount = EpochSources.batchCount(config);
    }

    /** Returns a builder of a loader. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of batches in an epoch, the same for every epoch, or -1 when the data set
     * is not random access and makes its own batches.
     */
    public long batchesPerEpoch() {
        return batchCount;
    }

    /**
     * Returns whether the loader was given a seed of its own ({@code optSeed}); a training loop
     * uses it as the run's seed when the loop is given none.
     */
    public boolean seedGiven() {
        return seedGiven;
    }

    /** Returns the settings this loader runs with. */
    public LoaderConfig config() {
        return config;
    }

    /**
     * Starts an epoch at its first batch; see {@link #epoch(int, long)}.
     *
     * @param epoch the epoch number (0 or more)
     * @return the epoch's batches
     */
    public EpochIterator epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Starts an epoch at a given batch, as when resuming from a checkpoint. The order of the
     * batches depends only on the seed and the epoch number, so the batches delivered are exactly
     * those an uninterrupted epoch delivers from {@code startBatch} on. The batches before it are
     * not loaded (a data set that is not random access reads and drops them). With workers, loading
     * starts at once. The epoch open before is closed.
     *
     * @param epoch the epoch number (0 or more), which picks the shuffled order
     * @param startBatch the first batch to deliver (0 to the number of batches in an epoch)
     * @return the epoch's batches
     * @throws IllegalArgumentException if the epoch or the start batch is out of range
     * @throws IllegalStateException if the loader is closed
     */
    public EpochIterator epoch(int epoch, long startBatch) {
        return open(config, epoch, startBatch);
    }

    /**
     * Starts an epoch at a given batch, its order drawn from a seed given here instead of the
     * loader's own: how a training loop makes its seed the run's one seed. Otherwise as {@link
     * #epoch(int, long)}.
     *
     * @param epoch the epoch number (0 or more), which picks the shuffled order with the seed
     * @param startBatch the first batch to deliver (0 to the number of batches in an epoch)
     * @param seed the seed of the shuffled order
     * @return the epoch's batches
     */
    public EpochIterator epoch(int epoch, long startBatch, long seed) {
        return open(config.withSeed(seed), epoch, startBatch);
    }

    private synchronized EpochIterator open(LoaderConfig settings, int epoch, long startBatch) {
        if (closed) {
            throw new IllegalStateException("The data loader is closed");
        }
        EpochSources.checkStart(epoch, startBatch, batchCount);
        if (current != null) {
            current.close();
        }
        current =
                new EpochIterator(
                        epoch,
                        batchCount,
                        EpochSources.open(settings, epoch, startBatch),
                        settings.ticker());
        return current;
    }

    /**
     * Closes the open epoch, stopping and joining its threads and freeing its queued batches; then,
     * if the loader created its own manager, closes it, which frees every batch it made.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
        if (ownsManager) {
            config.root().close();
        }
    }

    /** Configures a {@link DataLoader}, in DJL's builder vocabulary. */
    public static final class Builder {

        private final LoaderDraft draft = new LoaderDraft();

        private Builder() {}

        /**
         * Sets the data set. A {@link RandomAccessDataset} is read sample by sample in the batches
         * the loader plans (every option applies); any other {@link Dataset} is read through its
         * own iterator, in its own batches and order, on one thread.
         *
         * @param dataset the data set
         * @return this builder
         */
        public Builder setDataset(Dataset dataset) {
            draft.dataset = dataset;
            return this;
        }

        /**
         * Sets the number of samples in a batch. Without it, the batch size of a random-access data
         * set's own sampling ({@code setSampling(batchSize, shuffle)}, which DJL's dataset builders
         * require) is used, so it is given once; when given, this one wins.
         *
         * @param batchSize a positive number
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            draft.batchSize = batchSize;
            return this;
        }

        /**
         * Sets how many threads build batches (default 0: on the consumer's thread, no prefetch).
         *
         * @param numWorkers 0 or more
         * @return this builder
         */
        public Builder optNumWorkers(int numWorkers) {
            draft.numWorkers = numWorkers;
            return this;
        }

        /**
         * Sets how many batches each worker may have built or be building ahead of the consumer
         * (default 2): at most {@code numWorkers × prefetchFactor} batches are in flight.
         *
         * @param prefetchFactor a positive number; only with {@code numWorkers ≥ 1}
         * @return this builder
         */
        public Builder optPrefetchFactor(int prefetchFactor) {
            draft.prefetchFactor = prefetchFactor;
            return this;
        }

        /**
         * Sets whether each epoch visits the samples in its own random order (default false).
         *
         * @param shuffle whether to shuffle
         * @return this builder
         */
        public Builder optShuffle(boolean shuffle) {
            draft.shuffle = shuffle;
            return this;
        }

        /**
         * Sets the seed of the shuffled orders (default 0): epoch {@code e} of seed {@code s}
         * always visits the samples in the same order.
         *
         * @param seed any number
         * @return this builder
         */
        public Builder optSeed(long seed) {
            draft.seed = seed;
            return this;
        }

        /**
         * Sets whether a last batch smaller than the batch size is left out (default false).
         *
         * @param dropLast whether to drop it
         * @return this builder
         */
        public Builder optDropLast(boolean dropLast) {
            draft.dropLast = dropLast;
            return this;
        }

        /**
         * Sets how long the consumer may wait for one batch before a {@link
         * DataLoaderTimeoutException} naming the batch (default: no limit).
         *
         * @param timeout a positive duration; only with {@code numWorkers ≥ 1}
         * @return this builder
         */
        public Builder optTimeout(Duration timeout) {
            draft.timeout = timeout;
            return this;
        }

        /**
         * Sets whether batches are handed over in sampler order (default true) or as soon as each
         * is ready, which keeps a slow batch from holding back the ones after it.
         *
         * @param inOrder whether to keep sampler order
         * @return this builder
         */
        public Builder optInOrder(boolean inOrder) {
            draft.inOrder = inOrder;
            return this;
        }

        /**
         * Sets how the samples' data are collated into a batch (default {@link Batchifier#STACK}).
         *
         * @param batchifier the collate function of the data
         * @return this builder
         */
        public Builder optDataBatchifier(Batchifier batchifier) {
            draft.dataBatchifier = batchifier;
            return this;
        }

        /**
         * Sets how the samples' labels are collated into a batch (default {@link
         * Batchifier#STACK}).
         *
         * @param batchifier the collate function of the labels
         * @return this builder
         */
        public Builder optLabelBatchifier(Batchifier batchifier) {
            draft.labelBatchifier = batchifier;
            return this;
        }

        /**
         * Sets the transforms applied to each sample's data on the worker, before collation. The
         * data set's own pipeline (set on its builder) is not used by the loader.
         *
         * @param pipeline the transforms
         * @return this builder
         */
        public Builder optPipeline(Pipeline pipeline) {
            draft.pipeline = pipeline;
            return this;
        }

        /**
         * Sets the transforms applied to each sample's labels on the worker, before collation.
         *
         * @param targetPipeline the transforms
         * @return this builder
         */
        public Builder optTargetPipeline(Pipeline targetPipeline) {
            draft.targetPipeline = targetPipeline;
            return this;
        }

        /**
         * Sets the device each built batch is moved to by the worker, off the consumer's thread
         * (default: none; batches stay on the CPU where they are built).
         *
         * @param device the training device
         * @return this builder
         */
        public Builder optDevice(Device device) {
            draft.device = device;
            return this;
        }

        /**
         * Sets the manager under which every batch gets its own sub-manager (default: a new base
         * manager that the loader closes when it closes).
         *
         * @param manager an open manager, which the caller closes
         * @return this builder
         */
        public Builder optManager(NDManager manager) {
            draft.manager = manager;
            return this;
        }

        /**
         * Sets the nanosecond time source the batch timings are measured with (default {@link
         * System#nanoTime()}), as Caffeine's ticker: for tests that script how long loading takes.
         *
         * @param ticker a monotonic nanosecond clock
         * @return this builder
         */
        public Builder optTicker(LongSupplier ticker) {
            draft.ticker = ticker;
            return this;
        }

        /**
         * Validates the options, prepares the data set, and builds the loader.
         *
         * @return the loader
         * @throws IllegalArgumentException naming the first option that is missing or invalid
         * @throws IOException if the data set cannot be prepared
         * @throws TranslateException if the data set cannot be prepared
         */
        public DataLoader build() throws IOException, TranslateException {
            LoaderConfig config = draft.check();
            draft.dataset.prepare();
            return new DataLoader(config, draft.manager == null, draft.seed != null);
        }
    }
}
