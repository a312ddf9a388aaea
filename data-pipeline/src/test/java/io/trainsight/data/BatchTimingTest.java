package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTimingTest {

    @Test
    void aSlowLoaderShowsAsWaitAndAFastOneAsQueueTime() {
        // 4 samples × 10 ms: each batch takes 40 ms on its one worker.
        ScriptedDataset slow = new ScriptedDataset(32).script(i -> ScriptedDataset.sleep(10));
        List<BatchTiming> starved = consume(slow, 0);
        assertThat(median(starved, BatchTiming::waitNanos))
                .as("a consumer that needs no time waits for the worker")
                .isGreaterThan(median(starved, BatchTiming::queuedNanos));
        ScriptedDataset fast = new ScriptedDataset(32);
        List<BatchTiming> fed = consume(fast, 40);
        assertThat(median(fed, BatchTiming::queuedNanos))
                .as("batches of a fast loader sit ready while a slow consumer works")
                .isGreaterThan(median(fed, BatchTiming::waitNanos));
        for (BatchTiming timing : starved) {
            assertThat(timing.loadNanos())
                    .as("each batch sleeps 40 ms")
                    .isGreaterThanOrEqualTo(40_000_000);
        }
    }

    @Test
    void withoutWorkersTheConsumerWaitsForTheWholeLoad() {
        ScriptedDataset dataset = new ScriptedDataset(12).script(i -> ScriptedDataset.sleep(2));
        try (DataLoader loader = build(loader(dataset, 4));
                EpochIterator epoch = loader.epoch(0)) {
            List<Long> indices = new ArrayList<>();
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    BatchTiming timing = batch.timing();
                    indices.add(timing.index());
                    assertThat(timing.queuedNanos())
                            .as("nothing is built ahead, so nothing waits in a queue")
                            .isLessThan(timing.loadNanos() / 10);
                    assertThat(timing.waitNanos()).isGreaterThanOrEqualTo(timing.loadNanos());
                    assertThat(timing.loadNanos()).isGreaterThanOrEqualTo(8_000_000);
                }
            }
            assertThat(indices).containsExactly(0L, 1L, 2L);
            assertThat(dataset.threads).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void waitingInHasNextCountsTowardsTheBatchHandedOverNext() {
        ScriptedDataset dataset = new ScriptedDataset(4).script(i -> ScriptedDataset.sleep(30));
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(1));
                EpochIterator epoch = loader.epoch(0)) {
            assertThat(epoch.hasNext()).isTrue(); // blocks about 120 ms for the only batch
            ScriptedDataset.sleep(50); // the batch now sits ready while the consumer is elsewhere
            try (LoadedBatch batch = epoch.next()) {
                assertThat(batch.timing().waitNanos())
                        .as("the wait happened in hasNext()")
                        .isGreaterThanOrEqualTo(batch.timing().loadNanos() / 2);
                assertThat(batch.timing().queuedNanos())
                        .as("time between hasNext() and next() is the consumer's, not queue time")
                        .isLessThan(50_000_000);
            }
        }
    }

    @Test
    void workersShareTheSamplesOfOneBatchAndTheirTimeAddsUp() {
        ScriptedDataset dataset = new ScriptedDataset(8).script(i -> ScriptedDataset.sleep(20));
        try (DataLoader loader = build(loader(dataset, 8).optNumWorkers(4));
                EpochIterator epoch = loader.epoch(0);
                LoadedBatch batch = epoch.next()) {
            assertThat(Batches.samples(batch)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(dataset.threads)
                    .as("four workers each loaded a share of the only batch")
                    .hasSize(4);
            assertThat(batch.timing().loadNanos())
                    .as("the load time sums the workers' time: 8 samples × 20 ms")
                    .isGreaterThanOrEqualTo(160_000_000);
        }
    }

    private static List<BatchTiming> consume(ScriptedDataset dataset, long workMillis) {
        List<BatchTiming> timings = new ArrayList<>();
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(1).optPrefetchFactor(4));
                EpochIterator epoch = loader.epoch(0)) {
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    timings.add(batch.timing());
                    ScriptedDataset.sleep(workMillis);
                }
            }
        }
        return timings;
    }

    private static long median(
            List<BatchTiming> timings, java.util.function.ToLongFunction<BatchTiming> field) {
        long[] values = timings.stream().mapToLong(field).sorted().toArray();
        return values[values.length / 2];
    }
}
