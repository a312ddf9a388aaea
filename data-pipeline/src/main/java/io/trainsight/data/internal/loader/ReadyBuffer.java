package io.trainsight.data.internal.loader;

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
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The hand-over between the threads that build batches and the one that consumes them. Workers
 * claim shares of batches in sampler order (all shares of a batch before the next batch), report
 * each share loaded, and the worker of a batch's last share collates it and puts it back; the
 * consumer takes batches in order (or as they come). At most {@code capacity} batches are started
 * and not yet taken: that is the back-pressure that bounds memory, and in order it also bounds how
 * far loading runs ahead of a slow batch.
 *
 * <p>The consumer does not wake the workers while batches are waiting for it: waking a sleeping
 * thread is a system call that, on a virtual machine, costs the caller tens of microseconds (the
 * other core has to be interrupted), and it would fall on the training thread at every step.
 * Workers that found the window full look again on their own, about twice per interval between two
 * takes (from 50 us to 10 ms), and less often while the consumer takes nothing; the consumer wakes
 * them only when it takes the last batch that was ready, or has to wait. A worker that starts a
 * batch of several shares wakes the others to load them.
 *
 * <p>A failure recorded by a worker is thrown to the consumer at its next take. After a failure or
 * a close no share is handed out; every batch started and not taken is abandoned (its manager
 * closed) once its last running share ends, and a batch put after closing is freed at once.
 */
final class ReadyBuffer {

    private static final long MIN_LOOK_NANOS = 50_000;
    private static final long MAX_LOOK_NANOS = 10_000_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition batchReady = lock.newCondition();
    private final long start;
    private final int capacity;
    private final int parts;
    private final boolean inOrder;
    private final long timeoutNanos;
    private final BatchMaker maker;
    private final LongSupplier ticker;
    private final TreeMap<Long, Slot> ready = new TreeMap<>();
    private final Map<Long, Building> building = new HashMap<>();
    private Building current;
    private long end;
    private long nextBatch;
    private long taken;
    private DataLoadingException failure;
    private boolean closed;
    private boolean tookOne;
    private long lastTakeNanos;
    private long takeIntervalNanos; // a moving average of the real time between two takes

    /**
     * Creates a buffer for the batches {@code start} (inclusive) to {@code end} (exclusive).
     *
     * @param maker starts each batch's job
     * @param parts into how many shares a batch's samples are split (the job may use fewer)
     * @param start the first batch index
     * @param end the index after the last batch, or {@link Long#MAX_VALUE} while unknown
     * @param capacity how many batches may be started and not yet taken
     * @param inOrder whether batches are handed over in index order
     * @param timeoutNanos how long a take may wait (real time), or 0 for no limit
     * @param ticker the clock a batch's ready time is read from
     */
    ReadyBuffer(
            BatchMaker maker,
            int parts,
            long start,
            long end,
            int capacity,
            boolean inOrder,
            long timeoutNanos,
            LongSupplier ticker) {
        this.maker = maker;
        this.ticker = ticker;
        this.parts = parts;
        this.start = start;
        this.end = end;
        this.capacity = capacity;
        this.inOrder = inOrder;
        this.timeoutNanos = timeoutNanos;
        nextBatch = start;
    }

    /**
     * Claims the next share to load, waiting while the window is full.
     *
     * @return the share, or {@code null} when there is nothing left to load (end, failure or close)
     * @throws InterruptedException if the worker is interrupted while waiting
     */
    Claim claim() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && failure == null) {
                if (current != null && current.claimed < current.job.parts()) {
                    return current.claim();
                }
                if (nextBatch >= end) {
                    return null;
                }
                if (nextBatch < start + taken + capacity) {
                    long index = nextBatch++;
                    try {
                        current = new Building(index, maker.job(index, parts));
                    } catch (RuntimeException | Error e) {
                        failure = BatchMaker.failure(index, e);
                        batchReady.signalAll();
                        return null;
                    }
                    building.put(index, current);
                    if (current.job.parts() > 1) {
                        workAvailable.signalAll(); // the other workers load the other shares
                    }
                    continue;
                }
                workAvailable.awaitNanos(lookAgainNanos(System.nanoTime()));
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that a share was loaded.
     *
     * @param claim the share
     * @param loadNanos how long loading it took
     * @return whether the caller loaded the batch's last share and must now collate it, then {@link
     *     #put} it (or {@link #fail} or {@link #end})
     */
    boolean loaded(Claim claim, long loadNanos) {
        return endShare(
                claim,
                batch -> {
                    batch.loadNanos += loadNanos;
                    return ++batch.done == batch.job.parts();
                },
                null);
    }

    /**
     * Hands a collated batch over; frees it at once if the buffer is closed or failed.
     *
     * @param claim the share that collated it
     * @param batch the batch
     * @param collateNanos how long collating took
     */
    void put(Claim claim, Batch batch, long collateNanos) {
        lock.lock();
        try {
            Building built = building.remove(claim.index());
            if (!closed && failure == null) {
                long load = built.loadNanos + collateNanos;
                ready.put(claim.index(), new Slot(claim.index(), batch, load, ticker.getAsLong()));
                batchReady.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        batch.close();
    }

    /**
     * Records that a share or a collation failed; the consumer's next take throws the failure. Only
     * the first failure is kept.
     *
     * @param claim the share
     * @param error what went wrong
     */
    void fail(Claim claim, DataLoadingException error) {
        endShare(claim, batch -> false, error);
    }

    /**
     * Ends a running share: records a failure if there is one, and unless the share must go on to
     * collate its batch, abandons the batches no share works on any more after a failure or close.
     *
     * @return whether the share goes on to collate its batch
     */
    private boolean endShare(
            Claim claim, Predicate<Building> lastShare, DataLoadingException error) {
        List<BatchJob> abandoned;
        lock.lock();
        try {
            Building batch = building.get(claim.index());
            batch.loading.remove(claim.part());
            if (error != null && !closed && failure == null) {
                failure = error;
                workAvailable.signalAll();
                batchReady.signalAll();
            }
            if (lastShare.test(batch) && !closed && failure == null) {
                return true; // the share stays running while it collates
            }
            batch.running--;
            abandoned = sweep();
        } finally {
            lock.unlock();
        }
        abandoned.forEach(BatchJob::abandon);
        return false;
    }

    /**
     * Records that the epoch ends before the claimed batch: its job found no more data.
     *
     * @param claim the share that collated nothing
     */
    void end(Claim claim) {
        lock.lock();
        try {
            building.remove(claim.index());
            end = Math.min(end, claim.index());
            workAvailable.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
        claim.job().abandon();
    }

    /**
     * Takes the next batch, waiting up to the timeout.
     *
     * @return the batch, or {@code null} once every batch up to the end has been taken
     * @throws DataLoadingException if a worker failed, or (as {@link DataLoaderTimeoutException})
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
                    timeTake();
                    if (ready.isEmpty() && free() > 0) {
                        workAvailable.signalAll(); // nothing left in reserve: wake them now
                    }
                    return entry.getValue();
                }
                if (free() > 0) {
                    workAvailable.signalAll();
                }
                awaitBatch(next, deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Updates the average interval between takes. Called with the lock held. */
    private void timeTake() {
        long now = System.nanoTime();
        if (tookOne) {
            long interval = now - lastTakeNanos;
            takeIntervalNanos =
                    takeIntervalNanos == 0
                            ? interval
                            : takeIntervalNanos + (interval - takeIntervalNanos) / 8;
        }
        tookOne = true;
        lastTakeNanos = now;
    }

    /**
     * How long a worker that found the window full sleeps before it looks again: half the interval
     * between two takes (1 ms until two takes were timed); while the consumer has taken nothing for
     * more than four such intervals (a validation, a checkpoint), a quarter of that pause, so the
     * looks thin out; always from {@value #MIN_LOOK_NANOS} to {@value #MAX_LOOK_NANOS} ns. Called
     * with the lock held.
     *
     * @param now the time of the look, from {@link System#nanoTime()}
     */
    private long lookAgainNanos(long now) {
        long wait;
        if (takeIntervalNanos == 0) {
            wait = 1_000_000;
        } else {
            wait = takeIntervalNanos / 2;
            long idle = now - lastTakeNanos;
            if (idle > 4 * takeIntervalNanos) {
                wait = Math.max(wait, idle / 4);
            }
        }
        return Math.max(MIN_LOOK_NANOS, Math.min(MAX_LOOK_NANOS, wait));
    }

    /** Returns how many more batches may be started now. Called with the lock held. */
    private long free() {
        return start + taken + capacity - nextBatch;
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
        List<BatchJob> abandoned;
        lock.lock();
        try {
            closed = true;
            unclaimed = new ArrayList<>(ready.values());
            ready.clear();
            abandoned = sweep();
            workAvailable.signalAll();
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
        unclaimed.forEach(slot -> slot.batch().close());
        abandoned.forEach(BatchJob::abandon);
    }

    /**
     * After a failure or a close, removes the batches that no share is working on any more and
     * returns their jobs, to be abandoned outside the lock. Called with the lock held.
     */
    private List<BatchJob> sweep() {
        List<BatchJob> abandoned = new ArrayList<>();
        if (!closed && failure == null) {
            return abandoned;
        }
        Building.removeIdle(building, abandoned);
        return abandoned;
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
            long oldest = Long.MAX_VALUE;
            for (Building b : building.values()) {
                for (Building.Loading share : b.loading.values()) {
                    if (share.since < oldest) {
                        oldest = share.since;
                        batch = b.index;
                    }
                }
            }
        }
        Building stuck = building.get(batch);
        Building.Loading worker = stuck == null ? null : stuck.longestLoading();
        String where =
                worker == null
                        ? "no worker is loading it"
                        : String.format(
                                Locale.ROOT,
                                "worker %s has been loading it for %.3f s",
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
}
