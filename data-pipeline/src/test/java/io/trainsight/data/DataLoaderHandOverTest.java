package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How batches pass from the workers to the consumer: the workers refill the window on their own
 * while batches wait for the consumer (it wakes them only when it takes the last one ready), and a
 * consumer that pauses, and so lets the workers' looks back off, still gets every batch in order.
 */
class DataLoaderHandOverTest {

    @Test
    void workersRefillTheWindowWhileBatchesWaitForTheConsumer() throws InterruptedException {
        ScriptedDataset dataset = new ScriptedDataset(64);
        try (DataLoader loader = build(loader(dataset, 1).optNumWorkers(1).optPrefetchFactor(4));
                EpochIterator epoch = loader.epoch(0)) {
            dataset.awaitReads(4); // the window: 4 batches ahead
            Thread.sleep(200); // the worker puts the fourth and goes to sleep: the window is full
            try (LoadedBatch first = epoch.next()) {
                assertThat(first.index()).isZero();
            }
            // Three batches still wait for the consumer, which did not wake the worker: it finds
            // the room on its own and builds the fifth before the consumer takes anything else.
            dataset.awaitReads(5);
            assertThat(dataset.reads).hasSize(5);
        }
    }

    @Test
    void aConsumerThatPausesStillGetsEveryBatchInOrder() throws InterruptedException {
        ScriptedDataset dataset = new ScriptedDataset(24);
        List<Long> order = new ArrayList<>();
        try (DataLoader loader = build(loader(dataset, 2).optNumWorkers(2).optPrefetchFactor(2));
                EpochIterator epoch = loader.epoch(0)) {
            for (LoadedBatch batch : epoch) {
                order.add(batch.index());
                batch.close();
                if (order.size() % 4 == 0) {
                    Thread.sleep(120); // a validation, a checkpoint: the workers back off
                }
            }
        }
        assertThat(order).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }
}
