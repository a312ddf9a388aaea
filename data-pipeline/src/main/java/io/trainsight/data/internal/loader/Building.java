package io.trainsight.data.internal.loader;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A batch of a {@link ReadyBuffer} whose shares are being loaded: which shares are claimed, loaded
 * and still running, and which thread loads each. Guarded by the buffer's lock: every method is
 * called with it held.
 */
final class Building {
    final long index;
    final BatchJob job;
    final Map<Integer, Loading> loading = new HashMap<>();
    int claimed;
    int done;
    int running;
    long loadNanos;

    Building(long index, BatchJob job) {
        this.index = index;
        this.job = job;
    }

    Claim claim() {
        int part = claimed++;
        running++;
        loading.put(part, new Loading(Thread.currentThread().getName()));
        return new Claim(index, part, job);
    }

    /** Returns the share loading the longest, or {@code null} when none is loading. */
    Loading longestLoading() {
        return loading.values().stream().min((a, b) -> Long.compare(a.since, b.since)).orElse(null);
    }

    /**
     * Removes the batches that no share is working on any more and adds their jobs to {@code
     * abandoned}, to be abandoned outside the lock.
     */
    static void removeIdle(Map<Long, Building> building, List<BatchJob> abandoned) {
        for (Iterator<Building> it = building.values().iterator(); it.hasNext(); ) {
            Building batch = it.next();
            if (batch.running == 0) {
                it.remove();
                abandoned.add(batch.job);
            }
        }
    }

    /** A share being loaded: by which thread, since when. */
    static final class Loading {
        final String thread;
        final long since = System.nanoTime();

        Loading(String thread) {
            this.thread = thread;
        }
    }
}
