package io.trainsight.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.util.Progress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A data set that is not random access is read through its own iterator. */
class StreamDatasetTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
        assertThat(LoaderThreads.alive()).isEmpty();
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {0, 2})
    void readsTheDataSetsOwnBatchesInItsOrder(int workers) {
        try (DataLoader loader =
                Batches.build(
                        DataLoader.builder().setDataset(stream(10, 3)).optNumWorkers(workers))) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(-1);
            assertThat(Batches.read(loader.epoch(0)))
                    .containsExactly(
                            List.of(0L, 1L, 2L),
                            List.of(3L, 4L, 5L),
                            List.of(6L, 7L, 8L),
                            List.of(9L));
        }
    }

    @Test
    void readsWithOneThreadAndSkipsByReadingAndDropping() {
        try (DataLoader loader =
                        Batches.build(
                                DataLoader.builder().setDataset(stream(100, 3)).optNumWorkers(4));
                EpochIterator epoch = loader.epoch(0, 2)) {
            assertThat(epoch.hasNext()).isTrue();
            assertThat(LoaderThreads.alive())
                    .as("34 batches do not fit the window of 8, so the reader is still there")
                    .containsExactly("trainsight-loader-reader");
            List<List<Long>> batches = Batches.read(epoch);
            assertThat(batches).hasSize(32);
            assertThat(batches.get(0)).containsExactly(6L, 7L, 8L);
            assertThat(batches.get(31)).containsExactly(99L);
        }
    }

    @Test
    void refusesTheOptionsThatOnlyARandomAccessDataSetHonours() {
        assertThatThrownBy(
                        () ->
                                DataLoader.builder()
                                        .setDataset(stream(10, 3))
                                        .setBatchSize(4)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("batchSize applies to a RandomAccessDataset only");
        assertThatThrownBy(
                        () ->
                                DataLoader.builder()
                                        .setDataset(stream(10, 3))
                                        .optShuffle(true)
                                        .build())
                .hasMessageStartingWith("shuffle applies to a RandomAccessDataset only");
    }

    /** Hides an ArrayDataset behind the plain Dataset interface. */
    private Dataset stream(int samples, int batchSize) {
        float[] values = new float[samples];
        for (int i = 0; i < samples; i++) {
            values[i] = i;
        }
        ArrayDataset array =
                new ArrayDataset.Builder()
                        .setData(manager.create(values).reshape(samples, 1))
                        .optLabels(manager.create(values))
                        .setSampling(batchSize, false)
                        .build();
        return new Dataset() {
            @Override
            public Iterable<Batch> getData(NDManager manager)
                    throws java.io.IOException, ai.djl.translate.TranslateException {
                return array.getData(manager);
            }

            @Override
            public void prepare(Progress progress) {}
        };
    }
}
