package io.trainsight.trainer.internal.feed;

import ai.djl.training.dataset.Batch;
import io.trainsight.data.DataLoader;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;

/**
 * Feeds batches from data-pipeline's prefetching {@link DataLoader}: its workers build them ahead
 * of the step, and the step's data wait is the time the loader's iterator blocked. The run's seed
 * decides each epoch's order, and a resumed epoch starts at its batch without loading the ones
 * before.
 */
public final class LoaderFeed implements BatchFeed {

    private final DataLoader loader;

    /**
     * Creates a feed.
     *
     * @param loader the loader; the feed does not close it
     */
    public LoaderFeed(DataLoader loader) {
        this.loader = loader;
    }

    @Override
    public Epoch open(int epoch, long skip, long seed) {
        // The loader numbers epochs from 0; the run's seed, not the loader's, orders them.
        return new LoaderEpoch(loader.epoch(epoch - 1, skip, seed));
    }

    @Override
    public long batchesPerEpoch() {
        return loader.batchesPerEpoch();
    }

    private static final class LoaderEpoch implements Epoch {
        private final EpochIterator batches;
        private LoadedBatch current;

        LoaderEpoch(EpochIterator batches) {
            this.batches = batches;
        }

        @Override
        public boolean next() {
            if (!batches.hasNext()) {
                current = null;
                return false;
            }
            current = batches.next();
            return true;
        }

        @Override
        public Batch batch() {
            return current.batch();
        }

        @Override
        public long waitNanos() {
            return current.timing().waitNanos();
        }

        @Override
        public void close() {
            batches.close();
        }
    }
}
