package io.trainsight.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock for the loader's timings that moves only when a test moves it, so a timing is
 * an exact sum of scripted durations whatever the threads do in real time. It also counts the reads
 * of one watched thread (the consumer), so a worker can wait until the consumer has started timing
 * its wait before the worker spends scripted time.
 */
final class ManualTicker implements LongSupplier {

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private long now = 1_000_000_000L;
    private Thread watched;
    private long watchedReads;

    @Override
    public synchronized long getAsLong() {
        if (Thread.currentThread() == watched) {
            watchedReads++;
            notifyAll();
        }
        return now;
    }

    /** Moves the clock on. */
    synchronized void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Counts the reads of this thread from now on. */
    synchronized void watch(Thread thread) {
        watched = thread;
        watchedReads = 0;
    }

    /** Returns how often the watched thread has read the clock. */
    synchronized long watchedReads() {
        return watchedReads;
    }

    /** Waits until the watched thread has read the clock more than {@code mark} times. */
    synchronized void awaitWatchedReadsAbove(long mark) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        try {
            while (watchedReads <= mark) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("the consumer never read the clock").isPositive();
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
