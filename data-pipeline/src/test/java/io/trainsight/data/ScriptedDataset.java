package io.trainsight.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A data set for tests whose sample {@code i} is the vector {@code [i, i]} with label {@code i},
 * and whose loading can be scripted: a delay or a failure per sample. It records which samples were
 * read, by which threads, and into which managers.
 */
final class ScriptedDataset extends RandomAccessDataset {

    private final long size;
    private volatile LongConsumer script = index -> {};
    final List<Long> reads = new CopyOnWriteArrayList<>();
    final Set<NDManager> managers = ConcurrentHashMap.newKeySet();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    ScriptedDataset(long size) {
        super(new Builder().setSampling(1, false));
        this.size = size;
    }

    /** Runs before each sample is read: may sleep or throw. */
    ScriptedDataset script(LongConsumer script) {
        this.script = script;
        return this;
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        synchronized (reads) {
            reads.add(index);
            reads.notifyAll();
        }
        managers.add(manager);
        threads.add(Thread.currentThread().getName());
        script.accept(index);
        float value = index;
        return new Record(
                new NDList(manager.create(new float[] {value, value})),
                new NDList(manager.create(value)));
    }

    @Override
    protected long availableSize() {
        return size;
    }

    @Override
    public void prepare(Progress progress) {}

    /** Waits (30 s at most, then fails) until at least {@code count} samples have been read. */
    void awaitReads(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (reads) {
            while (reads.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "only " + reads.size() + " of " + count + " samples were read");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(reads, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final class Builder extends BaseBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
