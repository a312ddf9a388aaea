package io.trainsight.trainer.internal.feed;

import ai.djl.engine.Engine;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.trainsight.data.internal.DatasetSampling;
import java.io.IOException;
import java.util.Iterator;

/**
 * Feeds a DJL {@link Dataset} through {@link Trainer#iterateDataset}, with the trainer's own
 * prefetching. Shuffling datasets draw their order from DJL's random generator, which is seeded per
 * epoch; skipped batches are loaded and dropped.
 */
public final class DatasetFeed implements BatchFeed {

    private final Trainer trainer;
    private final Dataset dataset;

    /**
     * Creates a feed.
     *
     * @param trainer the trainer whose manager owns the batches
     * @param dataset the data
     */
    public DatasetFeed(Trainer trainer, Dataset dataset) {
        this.trainer = trainer;
        this.dataset = dataset;
    }

    @Override
    public long batchesPerEpoch() {
        if (dataset instanceof RandomAccessDataset random) {
            Integer batch = DatasetSampling.samplingBatchSize(random);
            return batch == null || batch < 1 ? -1 : (random.size() + batch - 1) / batch;
        }
        return -1;
    }

    @Override
    public Epoch open(int epoch, long skip, long seed) throws IOException {
        Engine.getInstance().setRandomSeed((int) seed);
        Iterator<Batch> batches;
        try {
            batches = trainer.iterateDataset(dataset).iterator();
        } catch (TranslateException e) {
            throw new IOException("Cannot read the training data: " + e.getMessage(), e);
        }
        for (long i = 0; i < skip && batches.hasNext(); i++) {
            batches.next().close();
        }
        return new IteratorEpoch(batches);
    }

    private static final class IteratorEpoch implements Epoch {
        private final Iterator<Batch> batches;
        private Batch current;
        private long wait;

        IteratorEpoch(Iterator<Batch> batches) {
            this.batches = batches;
        }

        @Override
        public boolean next() {
            long start = System.nanoTime();
            if (!batches.hasNext()) {
                current = null;
                return false;
            }
            current = batches.next();
            wait = System.nanoTime() - start;
            return true;
        }

        @Override
        public Batch batch() {
            return current;
        }

        @Override
        public long waitNanos() {
            return wait;
        }

        @Override
        public void close() {
            // Batches not taken stay with the trainer's manager and are freed with it.
        }
    }
}
