package io.trainsight.data;

import io.trainsight.data.internal.loader.BatchSource;
import io.trainsight.data.internal.loader.Slot;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * The batches of one epoch, each with its {@link BatchTiming}. The time the caller spends blocked
 * in {@link #hasNext()} and {@link #next()} is the batch's {@code waitNanos}.
 *
 * <p>Close it to leave an epoch early: its workers stop and the batches built ahead are freed. It
 * closes itself once the last batch is handed over, and when a batch fails (the failure is thrown
 * from {@code hasNext()} or {@code next()}). Batches already handed over stay valid until closed.
 * {@link #iterator()} returns this iterator itself, so it can be used in a for-each loop once.
 */
public final class EpochIterator
        implements Iterator<LoadedBatch>, Iterable<LoadedBatch>, AutoCloseable {

    private final int epoch;
    private final long batchCount;
    private final BatchSource source;
    private final LongSupplier ticker;
    private Slot pending;
    private long pendingAt;
    private long pendingWait;
    private boolean done;
    private volatile boolean closed;

    EpochIterator(int epoch, long batchCount, BatchSource source, LongSupplier ticker) {
        this.epoch = epoch;
        this.batchCount = batchCount;
        this.source = source;
        this.ticker = ticker;
    }

    /** Returns the epoch number. */
    public int epoch() {
        return epoch;
    }

    /** Returns the number of batches in the whole epoch, or -1 if the data set does not say. */
    public long batchCount() {
        return batchCount;
    }

    /**
     * Returns where the epoch stands: the index of the next batch to be handed over (batches handed
     * over so far plus those skipped at the start). Pass it to {@link DataLoader#epoch(int, long)}
     * to resume after a checkpoint.
     */
    public long position() {
        return pending == null ? source.position() : pending.index();
    }

    /**
     * Waits until the next batch is ready or the epoch is over.
     *
     * @throws DataLoadingException if a batch failed or did not come within the timeout
     */
    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (done) {
            return false;
        }
        if (closed) {
            throw new IllegalStateException("Epoch " + epoch + " has been closed");
        }
        long start = ticker.getAsLong();
        try {
            pending = source.take();
        } catch (RuntimeException e) {
            close();
            throw e;
        } finally {
            pendingAt = ticker.getAsLong();
            pendingWait += pendingAt - start;
        }
        if (pending == null) {
            done = true;
            close();
            return false;
        }
        return true;
    }

    /**
     * Hands over the next batch; the caller owns it and must close it.
     *
     * @throws NoSuchElementException if the epoch is over
     * @throws DataLoadingException if a batch failed or did not come within the timeout
     */
    @Override
    public LoadedBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("Epoch " + epoch + " has no more batches");
        }
        Slot slot = pending;
        pending = null;
        BatchTiming timing =
                new BatchTiming(
                        slot.index(),
                        slot.loadNanos(),
                        Math.max(0, pendingAt - slot.readyNanos()),
                        pendingWait);
        pendingWait = 0;
        return new LoadedBatch(slot.batch(), timing);
    }

    @Override
    public Iterator<LoadedBatch> iterator() {
        return this;
    }

    /** Stops the epoch's workers, waits for them to end, and frees the batches not handed over. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pending != null) {
            pending.batch().close();
            pending = null;
        }
        source.close();
    }
}
