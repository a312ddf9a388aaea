package io.trainsight.data.loader;

import ai.djl.training.dataset.Batch;
import io.trainsight.data.DataLoaderTimeoutException;
import io.trainsight.data.DataLoadingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between the threads that build batches and the one that consumes them. Producers
 * claim batch indices in sampler order and put the built batches back; the consumer takes them in
 * order (or as they come). At most {@code capacity} batches are claimed and not yet taken: that is
 * the back-pressure that bounds memory, and in order it also bounds how far loading runs ahead of a
 * slow batch.
 *
 * <p>A failure recorded by a producer is thrown to the consumer at its next take; closing frees
 * every batch not yet taken, and a batch put after closing is freed at once.
 */
final class ReadyBuffer {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition windowOpen = lock.newCondition();
    private final Condition batchReady = lock.newCondition();
    private final long start;
    private final int capacity;
    private final boolean inOrder;
    private final long timeoutNanos;
    private final TreeMap<Long, Slot> ready = new TreeMap<>();
    private final Map<Long, Loading> loading = new HashMap<>();
    private long end;
    private long nextClaim;
    private long taken;
    private DataLoadingException failure;
    private boolean closed;

    /**
     * Creates a buffer for the batches {@code start} (inclusive) to {@code end} (exclusive).
     *
     * @param start the first batch index
     * @param end the index after the last batch, or {@link Long#MAX_VALUE} while unknown
     * @param capacity how many batches may be claimed and not yet taken
     * @param inOrder whether batches are handed over in index order
     * @param timeoutNanos how long a take may wait, or 0 for no limit
     */
    ReadyBuffer(long start, long end, int capacity, boolean inOrder, long timeoutNanos) {
        this.start = start;
        this.end = end;
        this.capacity = capacity;
        this.inOrder = inOrder;
        this.timeoutNanos = timeoutNanos;
        nextClaim = start;
    }

    /**
     * Claims the next batch to build, waiting while the window is full.
     *
     * @return the batch index, or -1 when there is nothing left to build (end, failure or close)
     * @throws InterruptedException if the producer is interrupted while waiting
     */
    long claim() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && failure == null && nextClaim < end) {
                if (nextClaim < start + taken + capacity) {
                    long index = nextClaim++;
                    loading.put(index, new Loading(Thread.currentThread().getName()));
                    return index;
                }
                windowOpen.await();
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a built batch over; frees it at once if the buffer is closed or failed.
     *
     * @param index the batch index
     * @param batch the batch
     * @param loadNanos how long building it took
     */
    void put(long index, Batch batch, long loadNanos) {
        lock.lock();
        try {
            loading.remove(index);
            if (!closed && failure == null) {
                ready.put(index, new Slot(index, batch, loadNanos, System.nanoTime()));
                batchReady.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        batch.close();
    }

    /**
     * Records that a batch failed; the consumer's next take throws it. Only the first failure is
     * kept.
     *
     * @param index the batch index
     * @param error what went wrong
     */
    void fail(long index, DataLoadingException error) {
        lock.lock();
        try {
            loading.remove(index);
            if (!closed && failure == null) {
                failure = error;
            }
            windowOpen.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that the epoch ends before {@code end}: a producer found no batch at this index.
     *
     * @param end the index after the last batch
     */
    void finish(long end) {
        lock.lock();
        try {
            loading.remove(end);
            this.end = end;
            windowOpen.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next batch, waiting up to the timeout.
     *
     * @return the batch, or {@code null} once every batch up to the end has been taken
     * @throws DataLoadingException if a producer failed, or (as {@link DataLoaderTimeoutException})
     *     no batch came within the timeout
     * @throws IllegalStateException if the buffer is closed
     */
    Slot take() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                if (failure != null) {
                    throw failure.rethrownHere();
                }
                if (closed) {
                    throw new IllegalStateException("The epoch's loader is closed");
                }
                long next = start + taken;
                if (next >= end) {
                    return null;
                }
                Map.Entry<Long, Slot> entry =
                        inOrder
                                ? (ready.containsKey(next) ? ready.pollFirstEntry() : null)
                                : ready.pollFirstEntry();
                if (entry != null) {
                    taken++;
                    windowOpen.signal();
                    return entry.getValue();
                }
                awaitBatch(next, deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the index of the next batch to be taken (batches taken plus those skipped). */
    long position() {
        lock.lock();
        try {
            return start + taken;
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out work and frees every batch not yet taken. */
    void close() {
        List<Slot> unclaimed;
        lock.lock();
        try {
            closed = true;
            unclaimed = new ArrayList<>(ready.values());
            ready.clear();
            windowOpen.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
        for (Slot slot : unclaimed) {
            slot.batch().close();
        }
    }

    private void awaitBatch(long next, long deadline) {
        try {
            if (timeoutNanos == 0) {
                batchReady.await();
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(next);
            }
            batchReady.awaitNanos(remaining);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoadingException(
                    "Interrupted while waiting for batch " + next,
                    next,
                    DataLoadingException.NO_SAMPLE,
                    e);
        }
    }

    private DataLoaderTimeoutException timeout(long next) {
        long batch = next;
        if (!inOrder) {
            // Unordered, the consumer waits for any batch: blame the one loading the longest.
            batch =
                    loading.entrySet().stream()
                            .min(
                                    Map.Entry.comparingByValue(
                                            (a, b) -> Long.compare(a.since, b.since)))
                            .map(Map.Entry::getKey)
                            .orElse(next);
        }
        Loading worker = loading.get(batch);
        String where =
                worker == null
                        ? "no worker has started it"
                        : String.format(
                                Locale.ROOT,
                                "worker %s has been building it for %.3f s",
                                worker.thread,
                                (System.nanoTime() - worker.since) / 1e9);
        return new DataLoaderTimeoutException(
                String.format(
                        Locale.ROOT,
                        "Batch %d was not ready within the loader's timeout of %.3f s: %s;"
                                + " raise the timeout (optTimeout) if loading is slow",
                        batch,
                        timeoutNanos / 1e9,
                        where),
                batch);
    }

    /** A batch being built: by which thread, since when. */
    private static final class Loading {
        final String thread;
        final long since = System.nanoTime();

        Loading(String thread) {
            this.thread = thread;
        }
    }
}
