package io.trainsight.insight;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The insight's own thread: the training thread hands each step over in a lock-free queue (tens of
 * nanoseconds, no system call) and this thread joins it with its samples, writes its line and adds
 * it to the aggregates. On the training thread that work measured 10 µs per step alone but cost the
 * insight benchmark's 1 ms step 7 to 9 % inside the loop; handed over, everything on costs 0 to 2 %
 * there ({@code benchmarks/run insight.OverheadBenchmark}).
 *
 * <p>The thread polls, so the training thread never wakes it: it parks 20 ms, then takes every step
 * queued meanwhile. Parking 0.1 ms instead woke it several times per 1 ms step (on a small machine
 * a wake-up can take the training thread's core): the insight benchmark's on ÷ off measured 0.97
 * then. Its CPU time is 2 to 4 % of the training thread's on that benchmark's job (10 to 30 µs a
 * step, read from the threads' CPU clocks), parking 5 ms or 20 ms alike; at 20 ms it wakes and
 * flushes a quarter as often. Each time it has caught up with the training thread it runs a hook,
 * which flushes the step log: one write per wake-up instead of one per step. Nothing reads the
 * steps sooner than that: the live view refreshes every second, and {@link #drain()} wakes the
 * thread. {@link #drain()} waits until every step handed over is done: before a checkpoint (so the
 * step log holds every step the checkpoint covers), before a report is read, and at the end. A
 * failure of this thread (a full disk under the step log) is thrown to the training thread at its
 * next {@link #submit} or {@link #drain()}, and no later step is processed.
 *
 * @param <T> what is handed over per step
 */
final class StepWorker<T> {

    /** Steps in flight beyond which the training thread waits (bounds the queue's memory). */
    private static final long MAX_IN_FLIGHT = 4096;

    private static final long PARK_NANOS = 20_000_000;

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<T> work;
    private final Runnable caughtUp;
    private final Thread thread;
    private volatile long done;
    private volatile RuntimeException failure;
    private volatile boolean stopping;
    private volatile long submitted;
    private boolean thrown;

    /**
     * Starts the thread.
     *
     * @param name the thread's name
     * @param work what to do with each step, in the order handed over
     * @param caughtUp run when the thread has done every step handed over so far (it flushes the
     *     step log); a step counts as done only after it
     */
    StepWorker(String name, Consumer<T> work, Runnable caughtUp) {
        this.work = work;
        this.caughtUp = caughtUp;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands a step over; called by one thread, the training thread.
     *
     * @param item the step
     * @throws RuntimeException the failure of an earlier step's processing
     */
    void submit(T item) {
        rethrow();
        if (submitted - done >= MAX_IN_FLIGHT) {
            drain();
        }
        submitted++;
        queue.add(item);
    }

    /**
     * Waits until every step handed over has been processed.
     *
     * @throws RuntimeException the failure of a step's processing, once
     */
    void drain() {
        await();
        rethrow();
    }

    /** Waits until every step handed over is processed or processing failed; throws nothing. */
    void await() {
        while (done < submitted && failure == null && thread.isAlive()) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(20_000);
        }
    }

    /** Processes what is left, then ends the thread; a failure is kept for {@link #failure()}. */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the failure not yet thrown to the training thread, and marks it thrown.
     *
     * @return the failure, or null
     */
    RuntimeException failure() {
        if (failure == null || thrown) {
            return null;
        }
        thrown = true;
        return failure;
    }

    private void rethrow() {
        RuntimeException error = failure();
        if (error != null) {
            throw error;
        }
    }

    private void loop() {
        while (failure == null) {
            T item = queue.poll();
            if (item == null) {
                if (stopping) {
                    return;
                }
                LockSupport.parkNanos(PARK_NANOS);
                continue;
            }
            try {
                work.accept(item);
                if (queue.isEmpty()) {
                    caughtUp.run(); // before the step counts as done: drain() returns after it
                }
            } catch (RuntimeException e) {
                failure = e;
                return;
            } catch (Error e) {
                failure = new IllegalStateException("The insight's thread failed: " + e, e);
                return;
            }
            done++;
        }
    }
}
