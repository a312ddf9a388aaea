package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DataLoaderOrderTest {

    @Test
    void deliversBatchesInSamplerOrderWhateverTheLoadTimes() {
        // Earlier batches load slower, so workers finish them last; in order they still come first.
        ScriptedDataset dataset =
                new ScriptedDataset(40).script(i -> ScriptedDataset.sleep((40 - i) / 4));
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(4))) {
            List<List<Long>> batches = Batches.read(loader.epoch(0));
            assertThat(batches).hasSize(10);
            assertThat(batches.stream().flatMap(List::stream).collect(Collectors.toList()))
                    .as("sequential sampling visits the samples in order")
                    .containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
        }
    }

    @Test
    void unorderedDeliveryLetsReadyBatchesOvertakeASlowOne() {
        // Batch 0 is stuck until the consumer has been handed another batch.
        CountDownLatch handedOver = new CountDownLatch(1);
        ScriptedDataset dataset =
                new ScriptedDataset(32)
                        .script(
                                i -> {
                                    if (i == 0) {
                                        awaitQuietly(handedOver);
                                    }
                                });
        List<Long> indices = new ArrayList<>();
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(2).optInOrder(false));
                EpochIterator epoch = loader.epoch(0)) {
            try (LoadedBatch first = epoch.next()) {
                indices.add(first.index());
            }
            handedOver.countDown();
            indices.addAll(Batches.indices(epoch));
        }
        assertThat(indices)
                .as("every batch exactly once")
                .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(indices.get(0)).as("a ready batch came before the stuck batch 0").isNotZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the consumer got a batch").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Test
    void shufflesEachEpochFromTheSeedIndependentlyOfTheWorkers() {
        List<List<Long>> epoch1 = shuffled(0, 7, 1);
        assertThat(shuffled(3, 7, 1))
                .as("same seed and epoch, other worker count")
                .isEqualTo(epoch1);
        assertThat(shuffled(0, 7, 2)).as("next epoch").isNotEqualTo(epoch1);
        assertThat(shuffled(0, 8, 1)).as("other seed").isNotEqualTo(epoch1);
        assertThat(epoch1.stream().flatMap(List::stream).sorted().toList())
                .as("a permutation: every sample exactly once")
                .containsExactlyElementsOf(LongStream.range(0, 50).boxed().toList());
        assertThat(epoch1.stream().flatMap(List::stream).toList())
                .isNotEqualTo(LongStream.range(0, 50).boxed().toList());
    }

    @Test
    void dropLastLeavesOutTheShortBatch() {
        ScriptedDataset dataset = new ScriptedDataset(10);
        try (DataLoader keep = build(loader(dataset, 4));
                DataLoader drop = build(loader(dataset, 4).optDropLast(true).optNumWorkers(2))) {
            assertThat(keep.batchesPerEpoch()).isEqualTo(3);
            assertThat(Batches.read(keep.epoch(0)).stream().map(List::size))
                    .containsExactly(4, 4, 2);
            assertThat(drop.batchesPerEpoch()).isEqualTo(2);
            assertThat(Batches.read(drop.epoch(0)).stream().map(List::size)).containsExactly(4, 4);
        }
    }

    @Test
    void resumingAtABatchDeliversTheRestOfTheEpochWithoutLoadingTheSkippedOnes() {
        List<List<Long>> whole = shuffled(2, 11, 3);
        ScriptedDataset dataset = new ScriptedDataset(50);
        try (DataLoader loader =
                build(loader(dataset, 4).optShuffle(true).optSeed(11).optNumWorkers(2))) {
            EpochIterator epoch = loader.epoch(3, 5);
            assertThat(epoch.position()).isEqualTo(5);
            List<List<Long>> rest = Batches.read(epoch);
            assertThat(rest).containsExactlyElementsOf(whole.subList(5, whole.size()));
            List<Long> skipped = whole.subList(0, 5).stream().flatMap(List::stream).toList();
            assertThat(dataset.reads)
                    .as("skipped samples are never read")
                    .doesNotContainAnyElementsOf(skipped);
            assertThat(epoch.position()).isEqualTo(whole.size());
        }
    }

    @Test
    void positionCountsTheBatchesHandedOver() {
        try (DataLoader loader = build(loader(new ScriptedDataset(20), 4).optNumWorkers(2));
                EpochIterator epoch = loader.epoch(0)) {
            List<Long> positions = new ArrayList<>();
            while (epoch.hasNext()) {
                positions.add(epoch.position());
                epoch.next().close();
            }
            assertThat(positions).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(epoch.position()).isEqualTo(5);
        }
    }

    private static List<List<Long>> shuffled(int workers, long seed, int epoch) {
        ScriptedDataset dataset = new ScriptedDataset(50);
        try (DataLoader loader =
                build(loader(dataset, 4).optShuffle(true).optSeed(seed).optNumWorkers(workers))) {
            return Batches.read(loader.epoch(epoch));
        }
    }
}
