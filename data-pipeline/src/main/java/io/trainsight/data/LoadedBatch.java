package io.trainsight.data;

import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A batch handed over by a {@link DataLoader}, with its timing. The batch's arrays live in a
 * manager of their own; closing this object (or the batch) frees them. Closing twice is harmless.
 */
public final class LoadedBatch implements AutoCloseable {

    private final Batch batch;
    private final BatchTiming timing;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Wraps a batch.
     *
     * @param batch the batch, owning its manager
     * @param timing how the batch reached the consumer
     */
    public LoadedBatch(Batch batch, BatchTiming timing) {
        this.batch = batch;
        this.timing = timing;
    }

    /** Returns the DJL batch: data, labels, size and the manager that owns them. */
    public Batch batch() {
        return batch;
    }

    /** Returns how the batch reached the consumer. */
    public BatchTiming timing() {
        return timing;
    }

    /** Returns the batch's position in the epoch, in sampler order, from 0. */
    public long index() {
        return timing.index();
    }

    /** Returns the batched data arrays. */
    public NDList data() {
        return batch.getData();
    }

    /** Returns the batched label arrays. */
    public NDList labels() {
        return batch.getLabels();
    }

    /** Returns the number of samples in the batch. */
    public int size() {
        return batch.getSize();
    }

    /** Closes the batch's manager, freeing its arrays. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && batch.getManager() != null) {
            batch.close();
        }
    }
}
