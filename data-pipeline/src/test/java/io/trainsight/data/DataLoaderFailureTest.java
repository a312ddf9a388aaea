package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderFailureTest {

    @AfterEach
    void noLoaderThreadOutlivesATest() {
        assertThat(LoaderThreads.alive()).isEmpty();
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 1, 3})
    void aFailingSampleReachesTheConsumerNamingTheSampleBatchAndCause(int workers) {
        ScriptedDataset dataset =
                new ScriptedDataset(40)
                        .script(
                                i -> {
                                    if (i == 22) {
                                        throw new UncheckedIOException(
                                                new IOException("disk says no at sample 22"));
                                    }
                                });
        DataLoader.Builder builder = loader(dataset, 4).optNumWorkers(workers);
        try (DataLoader loader = build(builder);
                EpochIterator epoch = loader.epoch(0)) {
            assertThatThrownBy(
                            () -> {
                                while (epoch.hasNext()) {
                                    epoch.next().close();
                                }
                            })
                    .isInstanceOfSatisfying(
                            DataLoadingException.class,
                            e -> {
                                assertThat(e.batchIndex()).isEqualTo(5);
                                assertThat(e.sampleIndex()).isEqualTo(22);
                                assertThat(e)
                                        .hasMessageContaining("Batch 5")
                                        .hasMessageContaining("sample 22");
                                assertThat(e).hasRootCauseMessage("disk says no at sample 22");
                            });
            assertThat(LoaderThreads.alive()).as("a failure stops the workers").isEmpty();
            assertThat(dataset.managers)
                    .as("the failed batch and those built ahead are freed")
                    .allSatisfy(manager -> assertThat(manager.isOpen()).isFalse());
        }
    }

    @Test
    void aWorkerStuckPastTheTimeoutBecomesATimeoutNamingTheBatch() {
        ScriptedDataset dataset =
                new ScriptedDataset(40).script(i -> ScriptedDataset.sleep(i == 9 ? 60_000 : 0));
        try (DataLoader loader =
                        build(
                                loader(dataset, 4)
                                        .optNumWorkers(2)
                                        .optTimeout(Duration.ofSeconds(1)));
                EpochIterator epoch = loader.epoch(0)) {
            assertThat(epoch.next().index()).isZero();
            epoch.next().close();
            assertThatThrownBy(epoch::next)
                    .isInstanceOfSatisfying(
                            DataLoaderTimeoutException.class,
                            e -> {
                                assertThat(e.batchIndex()).isEqualTo(2);
                                assertThat(e)
                                        .hasMessageContaining("Batch 2 was not ready")
                                        .hasMessageContaining("trainsight-loader-");
                            });
            assertThat(LoaderThreads.alive())
                    .as("the worker stuck in a minute-long sleep was interrupted and joined")
                    .isEmpty();
        }
    }

    @Test
    void leavingEarlyStopsTheWorkersAndFreesTheQueuedBatches() {
        ScriptedDataset dataset = new ScriptedDataset(400);
        try (NDManager root = NDManager.newBaseManager()) {
            try (DataLoader loader =
                    build(
                            loader(dataset, 4)
                                    .optNumWorkers(3)
                                    .optPrefetchFactor(4)
                                    .optManager(root))) {
                EpochIterator epoch = loader.epoch(0);
                try (LoadedBatch first = epoch.next()) {
                    assertThat(first.index()).isZero();
                    // Let the workers fill the prefetch window (12 batches from the first on)
                    // before leaving; a worker still busy when the first is taken may start one
                    // more, otherwise they wait until half the window is free.
                    dataset.awaitReads(4 * 3 * 4);
                    assertThat(LoaderThreads.alive()).hasSize(3);
                    epoch.close();
                    assertThat(LoaderThreads.alive()).isEmpty();
                    assertThat(first.batch().getManager().isOpen())
                            .as("a batch handed over stays usable until it is closed")
                            .isTrue();
                }
                assertThat(dataset.managers)
                        .as("the managers of the batches built ahead")
                        .hasSizeGreaterThan(1)
                        .allSatisfy(manager -> assertThat(manager.isOpen()).isFalse());
                assertThat(root.getManagedArrays()).isEmpty();
                assertThat(dataset.reads)
                        .as("back-pressure: no more than the window was built")
                        .hasSizeLessThanOrEqualTo(4 * (1 + 3 * 4));
            }
            assertThat(root.isOpen()).as("a manager passed in belongs to the caller").isTrue();
        }
    }

    @Test
    void closingTheLoaderClosesTheOpenEpochAndItsOwnManager() {
        ScriptedDataset dataset = new ScriptedDataset(400);
        DataLoader loader = build(loader(dataset, 4).optNumWorkers(2));
        EpochIterator epoch = loader.epoch(0);
        LoadedBatch held = epoch.next();
        loader.close();
        assertThat(LoaderThreads.alive()).isEmpty();
        assertThat(dataset.managers).allSatisfy(manager -> assertThat(manager.isOpen()).isFalse());
        held.close(); // already freed with the loader's manager; closing again is harmless
        assertThatThrownBy(() -> loader.epoch(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(epoch::hasNext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openingTheNextEpochClosesThePreviousOne() {
        ScriptedDataset dataset = new ScriptedDataset(400);
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(2))) {
            EpochIterator first = loader.epoch(0);
            first.next().close();
            EpochIterator second = loader.epoch(1);
            assertThatThrownBy(first::next).isInstanceOf(IllegalStateException.class);
            try (LoadedBatch batch = second.next()) {
                assertThat(batch.index()).isZero();
            }
        }
    }

    @Test
    void theWorkerThreadsAreNamedDaemonsWhileAnEpochRuns() {
        ScriptedDataset dataset = new ScriptedDataset(400);
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(3));
                EpochIterator epoch = loader.epoch(0)) {
            epoch.next().close();
            assertThat(LoaderThreads.alive())
                    .containsExactlyInAnyOrder(
                            "trainsight-loader-0", "trainsight-loader-1", "trainsight-loader-2");
            assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(t -> t.getName().startsWith("trainsight-loader-"))
                    .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        }
    }

    @Test
    void anExhaustedEpochEndsItsThreadsByItself() {
        ScriptedDataset dataset = new ScriptedDataset(20);
        try (DataLoader loader = build(loader(dataset, 4).optNumWorkers(2))) {
            EpochIterator epoch = loader.epoch(0);
            while (epoch.hasNext()) {
                epoch.next().close();
            }
            assertThat(LoaderThreads.alive()).isEmpty();
        }
    }
}
