package io.trainsight.data;

import static io.trainsight.data.Batches.build;
import static io.trainsight.data.Batches.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataLoaderBuilderTest {

    private final ScriptedDataset dataset = new ScriptedDataset(10);

    @Test
    void refusesMissingOrInvalidOptionsNamingThem() {
        assertRefused(DataLoader.builder(), "dataset must be set");
        assertRefused(loader(dataset, 0), "batchSize must be set to a positive number");
        assertRefused(loader(dataset, 4).optNumWorkers(-1), "numWorkers must be 0");
        assertRefused(loader(dataset, 4).optNumWorkers(2).optPrefetchFactor(0), "prefetchFactor");
        assertRefused(loader(dataset, 4).optPrefetchFactor(2), "only with numWorkers ≥ 1");
        assertRefused(
                loader(dataset, 4).optNumWorkers(1).optTimeout(Duration.ZERO),
                "timeout must be a positive duration");
        assertRefused(
                loader(dataset, 4).optTimeout(Duration.ofSeconds(1)), "only with numWorkers ≥ 1");
    }

    @Test
    void withoutABatchSizeOfItsOwnTheLoaderTakesTheDataSetsSampling() throws Exception {
        // ScriptedDataset is built with DJL's setSampling(1, false): one sample a batch.
        try (DataLoader loader = build(DataLoader.builder().setDataset(dataset))) {
            assertThat(loader.config().batchSize()).isEqualTo(1);
            assertThat(loader.batchesPerEpoch()).isEqualTo(10);
        }
        try (DataLoader loader = build(loader(dataset, 4))) {
            assertThat(loader.config().batchSize())
                    .as("the loader's own batch size wins over the data set's")
                    .isEqualTo(4);
        }
    }

    @Test
    void refusesAStartBatchOutsideTheEpoch() {
        try (DataLoader loader = build(loader(dataset, 4))) {
            assertThatThrownBy(() -> loader.epoch(0, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "startBatch must be between 0 and the 3 batches of an epoch, got 4");
            assertThatThrownBy(() -> loader.epoch(-1))
                    .hasMessage("epoch must be 0 or more, got -1");
            assertThat(Batches.read(loader.epoch(0, 3))).as("starting at the end").isEmpty();
        }
    }

    @Test
    void appliesThePipelinesAndBatchifiersOnTheWorkers() {
        Pipeline doubled = new Pipeline().add(array -> array.mul(2));
        Pipeline shifted = new Pipeline().add(array -> array.add(100));
        try (DataLoader loader =
                        build(
                                loader(dataset, 4)
                                        .optNumWorkers(2)
                                        .optPipeline(doubled)
                                        .optTargetPipeline(shifted)
                                        .optDataBatchifier(Batchifier.STACK)
                                        .optLabelBatchifier(new ConcatBatchifier()));
                EpochIterator epoch = loader.epoch(0)) {
            try (LoadedBatch batch = epoch.next()) {
                assertThat(batch.data().head().toFloatArray())
                        .containsExactly(0, 0, 2, 2, 4, 4, 6, 6);
                assertThat(batch.labels())
                        .as("the concatenating batchifier keeps one list")
                        .hasSize(1);
                assertThat(batch.labels().head().toFloatArray())
                        .containsExactly(100, 101, 102, 103);
                assertThat(batch.size()).isEqualTo(4);
            }
        }
    }

    @Test
    void movesEachBatchToTheDeviceOnTheWorker() {
        try (DataLoader loader =
                        build(loader(dataset, 4).optNumWorkers(1).optDevice(Device.cpu()));
                EpochIterator epoch = loader.epoch(0)) {
            try (LoadedBatch batch = epoch.next()) {
                assertThat(batch.data().head().getDevice()).isEqualTo(Device.cpu());
                assertThat(batch.labels().head().getDevice()).isEqualTo(Device.cpu());
                assertThat(batch.batch().getManager().getDevice()).isEqualTo(Device.cpu());
            }
        }
    }

    private static void assertRefused(DataLoader.Builder builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** A collate function other than stacking: joins the samples' first arrays end to end. */
    private static final class ConcatBatchifier implements Batchifier {
        @Override
        public NDList batchify(NDList[] inputs) {
            NDArray[] heads = new NDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                heads[i] = inputs[i].head().reshape(1);
            }
            return new NDList(ai.djl.ndarray.NDArrays.concat(new NDList(heads)));
        }

        @Override
        public NDList[] unbatchify(NDList inputs) {
            throw new UnsupportedOperationException("not needed by the loader");
        }

        @Override
        public NDList[] split(NDList list, int numOfSlices, boolean evenSplit) {
            throw new UnsupportedOperationException("not needed by the loader");
        }
    }
}
