package io.trainsight.examples.gcpressure;

import java.util.SplittableRandom;

/**
 * Work on the Java heap that keeps the garbage collector busy: a store of small objects holding
 * half the heap, of which every step replaces a slice (so new objects survive young collections and
 * old ones die in the old generation), plus short-lived garbage. Under a small {@code -Xmx} the
 * collector pauses for a large share of each step.
 */
final class HeapChurn {

    private static final int OBJECT_LONGS = 8; // about 80 bytes with the header
    private static final int GARBAGE_CHUNK = 16 << 10;

    private final Object[] store;
    private final int replacedPerStep;
    private final int garbagePerStep;
    private final SplittableRandom random = new SplittableRandom(7);
    private long sink;

    /**
     * Sizes the churn from the heap.
     *
     * @param maxHeapBytes the largest the heap may grow
     */
    HeapChurn(long maxHeapBytes) {
        long objects = Math.max(10_000, maxHeapBytes / 2 / (OBJECT_LONGS * 8 + 16));
        store = new Object[(int) Math.min(objects, 20_000_000)];
        for (int i = 0; i < store.length; i++) {
            store[i] = new long[OBJECT_LONGS];
        }
        replacedPerStep = store.length / 10;
        garbagePerStep = (int) Math.min(16L << 20, maxHeapBytes / 64);
    }

    /** One step's allocation: replace a slice of the store, and make short-lived garbage. */
    void step() {
        int start = random.nextInt(store.length);
        for (int i = 0; i < replacedPerStep; i++) {
            long[] fresh = new long[OBJECT_LONGS];
            fresh[0] = i;
            store[(start + i) % store.length] = fresh;
        }
        for (int made = 0; made < garbagePerStep; made += GARBAGE_CHUNK) {
            byte[] garbage = new byte[GARBAGE_CHUNK];
            sink += garbage[random.nextInt(GARBAGE_CHUNK)];
        }
    }

    long sink() {
        return sink;
    }
}
