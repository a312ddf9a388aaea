package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where a batch's time goes, on a {@link ManualTicker}: loading "takes" the milliseconds a data set
 * script moves the clock by, and the consumer "works" by moving it too, so every timing is an exact
 * sum of scripted durations. Latches order the threads where the outcome depends on who goes first.
 */
class BatchTimingTest {

    private static final long MS = 1_000_000;
    private final ManualTicker ticker = new ManualTicker();

    @Test
    void withoutWorkersTheConsumerWaitsForTheWholeLoad() {
        ScriptedDataset dataset =
                new ScriptedDataset(12).script(i -> ticker.advanceMillis(2)); // 8 ms a batch
        try (DataLoader loader = build(loader(dataset, 4).optTicker(ticker));
                EpochIterator epoch = loader.epoch(0)) {
            List<Long> indices = new ArrayList<>();
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    BatchTiming timing = batch.timing();
                    indices.add(timing.index());
                    assertThat(timing.loadNanos()).isEqualTo(8 * MS);
                    assertThat(timing.waitNanos()).as("the load is the wait").isEqualTo(8 * MS);
                    assertThat(timing.queuedNanos())
                            .as("nothing is built ahead, so nothing waits in a queue")
                            .isZero();
                }
                ticker.advanceMillis(5); // the consumer's own work is no one's wait
            }
            assertThat(indices).containsExactly(0L, 1L, 2L);
            assertThat(dataset.threads).containsExactly(Thread.currentThread().getName());
        }
    }

    /**
     * One worker, 40 ms a batch, a consumer that needs no time: each batch's load starts once the
     * consumer is waiting for it (a latch), so the consumer waits exactly the load.
     */
    @Test
    void aLoaderSlowerThanItsConsumerShowsAsWaitEqualToTheLoad() {
        ConsumerGate gate = new ConsumerGate();
        ScriptedDataset dataset =
                new ScriptedDataset(16)
                        .script(
                                i -> {
                                    if (i % 4 == 0) {
                                        gate.awaitConsumerWaitingFor(i / 4);
                                    }
                                    ticker.advanceMillis(10);
                                });
        List<BatchTiming> timings = new ArrayList<>();
        try (DataLoader loader =
                        build(
                                loader(dataset, 4)
                                        .optNumWorkers(1)
                                        .optPrefetchFactor(4)
                                        .optTicker(ticker));
                EpochIterator epoch = loader.epoch(0)) {
            gate.open(0);
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    timings.add(batch.timing());
                }
                gate.open(batch.index() + 1);
            }
        }
        assertThat(timings).hasSize(4);
        for (BatchTiming timing : timings) {
            assertThat(timing.loadNanos()).as("4 samples × 10 ms").isEqualTo(40 * MS);
            assertThat(timing.waitNanos())
                    .as("the consumer waited the whole load")
                    .isEqualTo(40 * MS);
            assertThat(timing.queuedNanos()).as("taken the moment it was ready").isZero();
        }
    }

    /**
     * One worker that loads at once, a consumer that works 40 ms per batch: before the consumer
     * works, it lets the worker finish the next batch (a latch), so that batch sits ready.
     */
    @Test
    void aLoaderFasterThanItsConsumerShowsAsQueueTimeAndNoWait() {
        Map<Long, CountDownLatch> started = new ConcurrentHashMap<>();
        ScriptedDataset dataset =
                new ScriptedDataset(40)
                        .script(
                                i -> {
                                    if (i % 4 == 0) {
                                        latch(started, i / 4).countDown();
                                    }
                                });
        List<BatchTiming> timings = new ArrayList<>();
        try (DataLoader loader =
                        build(
                                loader(dataset, 4)
                                        .optNumWorkers(1)
                                        .optPrefetchFactor(4)
                                        .optTicker(ticker));
                EpochIterator epoch = loader.epoch(0)) {
            for (int k = 0; k < 6; k++) {
                try (LoadedBatch batch = epoch.next()) {
                    timings.add(batch.timing());
                }
                // One worker builds in order: once it starts batch k + 2, batch k + 1 is ready.
                await(latch(started, k + 2));
                ticker.advanceMillis(40);
            }
        }
        for (BatchTiming timing : timings.subList(1, timings.size())) {
            assertThat(timing.waitNanos()).as("batch %d was ready", timing.index()).isZero();
            assertThat(timing.queuedNanos())
                    .as("batch %d sat ready while the consumer worked", timing.index())
                    .isGreaterThanOrEqualTo(40 * MS);
        }
    }

    @Test
    void waitingInHasNextCountsTowardsTheBatchHandedOverNext() {
        ConsumerGate gate = new ConsumerGate();
        ScriptedDataset dataset =
                new ScriptedDataset(4)
                        .script(
                                i -> {
                                    if (i == 0) {
                                        gate.awaitConsumerWaitingFor(0);
                                    }
                                    ticker.advanceMillis(30);
                                });
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(1).optTicker(ticker));
                EpochIterator epoch = loader.epoch(0)) {
            gate.open(0);
            assertThat(epoch.hasNext()).isTrue(); // waits the 120 ms load of the only batch
            ticker.advanceMillis(50); // the batch now sits ready while the consumer is elsewhere
            try (LoadedBatch batch = epoch.next()) {
                assertThat(batch.timing().loadNanos()).isEqualTo(120 * MS);
                assertThat(batch.timing().waitNanos())
                        .as("the wait happened in hasNext()")
                        .isEqualTo(120 * MS);
                assertThat(batch.timing().queuedNanos())
                        .as("time between hasNext() and next() is the consumer's, not queue time")
                        .isZero();
            }
        }
    }

    /**
     * Four workers share one batch of 8 samples: each share waits until all four workers hold one
     * (a latch), so each worker loads exactly one share whatever the scheduling.
     */
    @Test
    void workersShareTheSamplesOfOneBatchAndTheirTimeAddsUp() {
        CountDownLatch allFour = new CountDownLatch(4);
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        ScriptedDataset dataset =
                new ScriptedDataset(8)
                        .script(
                                i -> {
                                    if (seen.putIfAbsent(Thread.currentThread().getName(), true)
                                            == null) {
                                        allFour.countDown();
                                    }
                                    await(allFour);
                                    ticker.advanceMillis(20);
                                });
        try (DataLoader loader = build(loader(dataset, 8).optNumWorkers(4).optTicker(ticker));
                EpochIterator epoch = loader.epoch(0);
                LoadedBatch batch = epoch.next()) {
            assertThat(Batches.samples(batch)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(dataset.threads)
                    .as("four workers each loaded a share of the only batch")
                    .hasSize(4);
            assertThat(batch.timing().loadNanos())
                    .as("the load time sums the workers' time: 8 samples × 20 ms at least")
                    .isGreaterThanOrEqualTo(160 * MS);
        }
    }

    /**
     * Lets the worker load batch k only once the consumer has handed batch k - 1 over and then read
     * the clock again: that read starts the timing of its wait for batch k.
     */
    private final class ConsumerGate {
        private final Map<Long, CompletableFuture<Long>> marks = new ConcurrentHashMap<>();

        /** Called by the consumer before it asks for batch {@code k}. */
        void open(long k) {
            if (k == 0) {
                ticker.watch(Thread.currentThread());
            }
            mark(k).complete(ticker.watchedReads());
        }

        void awaitConsumerWaitingFor(long k) {
            try {
                ticker.awaitWatchedReadsAbove(mark(k).get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("the consumer never asked for batch " + k, e);
            }
        }

        private CompletableFuture<Long> mark(long k) {
            return marks.computeIfAbsent(k, key -> new CompletableFuture<>());
        }
    }

    private static CountDownLatch latch(Map<Long, CountDownLatch> latches, long batch) {
        return latches.computeIfAbsent(batch, key -> new CountDownLatch(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the latch opened").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
