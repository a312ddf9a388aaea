package io.trainsight.data.internal.loader;

import io.trainsight.data.DataLoadingException;

/** Where one epoch's batches come from: built on the consumer's thread or by workers ahead. */
public interface BatchSource extends AutoCloseable {

    /**
     * Returns the next batch, blocking until one is ready.
     *
     * @return the next batch, or {@code null} once the epoch has no more
     * @throws DataLoadingException if a batch failed or did not come within the timeout
     */
    Slot take();

    /**
     * Returns the position of the next batch to be taken: the batches taken so far plus those
     * skipped at the start. Resuming at this position repeats no batch and misses none (with
     * unordered delivery, up to the prefetch window of batches may be swapped across it).
     */
    long position();

    /** Stops any worker, waits for it to end, and frees the batches not yet taken. */
    @Override
    void close();
}
