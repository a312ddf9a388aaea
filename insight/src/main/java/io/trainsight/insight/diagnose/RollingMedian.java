package io.trainsight.insight.diagnose;

import java.util.Arrays;

/** The median of the last N values, kept sorted: adding one is O(N), no allocation. */
final class RollingMedian {

    private final long[] ring;
    private final long[] sorted;
    private int count;
    private int next;

    RollingMedian(int size) {
        ring = new long[size];
        sorted = new long[size];
    }

    void add(long value) {
        if (count == ring.length) {
            long oldest = ring[next];
            int at = Arrays.binarySearch(sorted, 0, count, oldest);
            System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
            count--;
        }
        ring[next] = value;
        next = (next + 1) % ring.length;
        int at = Arrays.binarySearch(sorted, 0, count, value);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(sorted, at, sorted, at + 1, count - at);
        sorted[at] = value;
        count++;
    }

    int count() {
        return count;
    }

    int size() {
        return ring.length;
    }

    /** Returns the median of the values kept, or -1 without any. */
    long median() {
        if (count == 0) {
            return -1;
        }
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }
}
