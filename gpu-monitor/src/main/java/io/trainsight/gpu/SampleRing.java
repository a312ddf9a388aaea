package io.trainsight.gpu;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The samples of a monitor: a preallocated ring of primitive columns, one {@code long[]} per GPU
 * metric per GPU and per host metric, indexed by slot, plus the tick's {@code System.nanoTime()}
 * and duration. Memory is bounded by the capacity; the oldest samples are overwritten.
 *
 * <p>One thread writes (the sampler); any number of threads read without locks. Each sample has a
 * sequence number (0, 1, 2 …); a slot carries the sequence of the sample it holds, set after the
 * values are written and cleared before they are overwritten, so a reader detects a sample that was
 * overwritten while it read (a torn read) and gets {@code false} or retries.
 */
public final class SampleRing {

    /** The stored value of a metric that was not sampled in a tick. */
    public static final long ABSENT = Long.MIN_VALUE;

    private static final long WRITING = -1;
    private static final int LATEST_TRIES = 8;
    private static final int GPU_METRICS = GpuMetric.values().length;
    private static final int HOST_METRICS = HostMetric.values().length;

    private final int capacity;
    private final int gpuCount;
    private final long[] nanoTimes;
    private final long[] tickDurations;
    private final long[][] gpuColumns;
    private final long[][] hostColumns;
    private final AtomicLongArray slotSequence;
    private final AtomicLong published = new AtomicLong();
    private final long epochOffsetNanos;

    /**
     * Allocates a ring.
     *
     * @param capacity the number of samples kept, at least 2
     * @param gpuCount the number of GPUs sampled, at least 0
     */
    public SampleRing(int capacity, int gpuCount) {
        if (capacity < 2) {
            throw new IllegalArgumentException(
                    "capacity must be at least 2 samples, got " + capacity);
        }
        if (gpuCount < 0) {
            throw new IllegalArgumentException("gpuCount must not be negative, got " + gpuCount);
        }
        this.capacity = capacity;
        this.gpuCount = gpuCount;
        nanoTimes = new long[capacity];
        tickDurations = new long[capacity];
        gpuColumns = new long[gpuCount * GPU_METRICS][capacity];
        hostColumns = new long[HOST_METRICS][capacity];
        slotSequence = new AtomicLongArray(capacity);
        for (int slot = 0; slot < capacity; slot++) {
            slotSequence.set(slot, WRITING);
        }
        long wallBefore = System.currentTimeMillis();
        long nano = System.nanoTime();
        epochOffsetNanos = wallBefore * 1_000_000L - nano;
    }

    /**
     * Returns how many samples the ring keeps.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns the number of GPUs in each sample.
     *
     * @return the GPU count
     */
    public int gpuCount() {
        return gpuCount;
    }

    /**
     * Returns how many samples were published so far; the latest has sequence {@code count() - 1}.
     *
     * @return the number of published samples
     */
    public long count() {
        return published.get();
    }

    /**
     * Returns the sequence of the oldest sample that may still be read.
     *
     * @return the oldest readable sequence (it can be overwritten while it is read)
     */
    public long oldestSequence() {
        return Math.max(0, count() - capacity + 1);
    }

    /**
     * Converts a {@code System.nanoTime()} value of this JVM to wall-clock milliseconds, with the
     * offset recorded when the ring was made.
     *
     * @param nanoTime a {@code System.nanoTime()} value
     * @return milliseconds since the epoch
     */
    public long toEpochMillis(long nanoTime) {
        return Math.floorDiv(nanoTime + epochOffsetNanos, 1_000_000L);
    }

    /**
     * Copies one sample into a reusable view, without allocating.
     *
     * @param sequence the sample's sequence
     * @param into the view to fill; made for this ring by {@link #newView()}
     * @return false if the sample is not published yet or was overwritten (the view is then left in
     *     an unspecified state)
     */
    public boolean read(long sequence, SampleView into) {
        if (sequence < 0 || sequence >= count()) {
            return false;
        }
        int slot = (int) (sequence % capacity);
        if (slotSequence.get(slot) != sequence) {
            return false;
        }
        into.sequence = sequence;
        into.nanoTime = nanoTimes[slot];
        into.tickNanos = tickDurations[slot];
        for (int column = 0; column < gpuColumns.length; column++) {
            into.gpu[column] = gpuColumns[column][slot];
        }
        for (int column = 0; column < hostColumns.length; column++) {
            into.host[column] = hostColumns[column][slot];
        }
        VarHandle.acquireFence();
        return slotSequence.get(slot) == sequence;
    }

    /**
     * Returns a view sized for this ring, to pass to {@link #read}.
     *
     * @return a new, empty view
     */
    public SampleView newView() {
        return new SampleView(gpuCount);
    }

    /**
     * Returns a GPU metric of the latest sample, without allocating or locking.
     *
     * @param gpu the GPU's index
     * @param metric the metric
     * @return the stored value, or {@link #ABSENT} when there is no sample or the metric is absent
     */
    public long latestGpu(int gpu, GpuMetric metric) {
        return latest(gpuColumns[gpu * GPU_METRICS + metric.ordinal()]);
    }

    /**
     * Returns a host metric of the latest sample, without allocating or locking.
     *
     * @param metric the metric
     * @return the stored value, or {@link #ABSENT} when there is no sample or the metric is absent
     */
    public long latestHost(HostMetric metric) {
        return latest(hostColumns[metric.ordinal()]);
    }

    private long latest(long[] column) {
        for (int attempt = 0; attempt < LATEST_TRIES; attempt++) {
            long sequence = count() - 1;
            if (sequence < 0) {
                return ABSENT;
            }
            int slot = (int) (sequence % capacity);
            if (slotSequence.get(slot) != sequence) {
                continue;
            }
            long value = column[slot];
            VarHandle.acquireFence();
            if (slotSequence.get(slot) == sequence) {
                return value;
            }
        }
        return ABSENT;
    }

    // ---- the writer's side, used by the sampler thread only ----

    /**
     * Starts writing the next sample: marks its slot as being written and sets every value to
     * {@link #ABSENT}.
     *
     * @return the slot to write
     */
    int beginWrite() {
        long sequence = published.get();
        int slot = (int) (sequence % capacity);
        slotSequence.set(slot, WRITING);
        // Readers that see any of the writes below must also see WRITING.
        VarHandle.storeStoreFence();
        for (long[] column : gpuColumns) {
            column[slot] = ABSENT;
        }
        for (long[] column : hostColumns) {
            column[slot] = ABSENT;
        }
        return slot;
    }

    void putGpu(int slot, int gpu, GpuMetric metric, long value) {
        gpuColumns[gpu * GPU_METRICS + metric.ordinal()][slot] = value;
    }

    void putHost(int slot, HostMetric metric, long value) {
        hostColumns[metric.ordinal()][slot] = value;
    }

    /**
     * Publishes the sample begun by {@link #beginWrite()}.
     *
     * @param slot the slot written
     * @param nanoTime when the tick started
     * @param tickNanos how long the tick took
     */
    void publish(int slot, long nanoTime, long tickNanos) {
        long sequence = published.get();
        nanoTimes[slot] = nanoTime;
        tickDurations[slot] = tickNanos;
        slotSequence.set(slot, sequence);
        published.set(sequence + 1);
    }

    @Override
    public String toString() {
        return "SampleRing[capacity="
                + capacity
                + ", gpus="
                + gpuCount
                + ", published="
                + count()
                + "]";
    }
}
