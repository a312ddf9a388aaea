package io.trainsight.trainer.internal.feed;

import ai.djl.training.dataset.Batch;
import java.io.IOException;

/**
 * Where a training loop gets its batches: one pass per epoch, in an order that depends only on the
 * run's seed and the epoch, so a resumed run sees the same batches as an uninterrupted one.
 */
public interface BatchFeed {

    /**
     * Opens one epoch.
     *
     * @param epoch the 1-based epoch
     * @param skip the number of batches at the start of the epoch to leave out (already trained on
     *     before a checkpoint)
     * @param seed the seed of this epoch's order
     * @return the epoch's batches; close it when leaving the epoch, also early
     * @throws IOException if the data cannot be read
     */
    Epoch open(int epoch, long skip, long seed) throws IOException;

    /**
     * Returns how many batches an epoch holds, for the run's planned length.
     *
     * @return the batches per epoch, or -1 when unknown
     */
    default long batchesPerEpoch() {
        return -1;
    }

    /** The batches of one epoch. */
    interface Epoch extends AutoCloseable {

        /**
         * Moves to the next batch, waiting for it if needed.
         *
         * @return false when the epoch has no more batches
         * @throws IOException if the batch cannot be read or built
         */
        boolean next() throws IOException;

        /** Returns the current batch; the caller closes it. */
        Batch batch();

        /** Returns how long the last {@link #next()} blocked waiting for the batch. */
        long waitNanos();

        @Override
        void close();
    }
}
