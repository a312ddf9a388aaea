package io.trainsight.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Pipeline;
import ai.djl.util.Progress;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.csv.CsvDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches read in one go are the batches reading sample by sample and stacking gives: same values,
 * shapes and order, shuffled or not, from a CSV file, a subset of one, and DJL's ArrayDataset; and
 * a data set that gathers is asked for whole batches, not samples.
 */
class BatchGatherTest {

    @TempDir Path dir;

    @Test
    void aGatheringDataSetIsAskedForWholeBatches() throws Exception {
        Counting dataset = new Counting(10);
        try (DataLoader loader = loader(dataset, 4, 0, null)) {
            List<List<Long>> batches = Batches.read(loader.epoch(0));
            assertThat(batches).hasSize(3);
            assertThat(batches.get(2)).hasSize(2);
        }
        assertThat(dataset.batchReads.get()).isEqualTo(3);
        assertThat(dataset.sampleReads.get()).isZero();
    }

    @Test
    void aPerSamplePipelineReadsSampleBySample() throws Exception {
        Counting dataset = new Counting(10);
        try (DataLoader loader = loader(dataset, 4, 2, new Pipeline())) {
            Batches.read(loader.epoch(0));
        }
        assertThat(dataset.batchReads.get()).isZero();
        assertThat(dataset.sampleReads.get()).isEqualTo(10);
    }

    @Test
    void csvBatchesAreTheStackedSamples() throws Exception {
        CsvDataset csv = CsvDataset.open(csv(37, 5), FormatOptions.defaults());
        assertSameBatches(csv, 8);
    }

    @Test
    void aRandomSplitOfACsvFileGathersItsOwnRows() throws Exception {
        CsvDataset csv = CsvDataset.open(csv(40, 3), FormatOptions.defaults());
        RandomAccessDataset[] parts = csv.randomSplit(3, 1);
        assertThat(parts[0]).isInstanceOf(GatheringDataset.class);
        assertThat(parts[0].size()).isEqualTo(30);
        assertSameBatches(parts[0], 7);
        assertSameBatches(parts[1], 4);
    }

    @Test
    void arrayDatasetBatchesAreTheStackedSamples() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset arrays =
                    new ArrayDataset.Builder()
                            .setData(manager.arange(60f).reshape(20, 3))
                            .optLabels(manager.arange(20f))
                            .setSampling(4, false)
                            .build();
            assertSameBatches(arrays, 6);
        }
    }

    @Test
    void aFailedGatherNamesTheBatchAndItsSamples() throws Exception {
        Counting dataset = new Counting(6);
        dataset.failing = true;
        try (DataLoader loader = loader(dataset, 3, 0, null)) {
            assertThatThrownBy(() -> Batches.read(loader.epoch(0)))
                    .isInstanceOf(DataLoadingException.class)
                    .hasMessageMatching(
                            "Batch 0: reading samples \\[\\d, \\d, \\d] failed: .*disk gone");
        }
    }

    /** The shuffled epoch read in one go equals the same epoch read sample by sample. */
    private void assertSameBatches(RandomAccessDataset dataset, int batchSize) throws Exception {
        List<float[]> gathered = new ArrayList<>();
        List<float[]> stacked = new ArrayList<>();
        List<Shape> gatheredShapes = new ArrayList<>();
        List<Shape> stackedShapes = new ArrayList<>();
        read(dataset, batchSize, null, gathered, gatheredShapes);
        read(dataset, batchSize, new Pipeline(), stacked, stackedShapes);
        assertThat(gatheredShapes).isEqualTo(stackedShapes);
        assertThat(gathered).hasSameSizeAs(stacked);
        for (int i = 0; i < stacked.size(); i++) {
            assertThat(gathered.get(i)).as("array " + i).containsExactly(stacked.get(i));
        }
    }

    private static void read(
            RandomAccessDataset dataset,
            int batchSize,
            Pipeline pipeline,
            List<float[]> values,
            List<Shape> shapes)
            throws Exception {
        try (DataLoader loader = loader(dataset, batchSize, 1, pipeline);
                EpochIterator epoch = loader.epoch(3)) {
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    for (NDList list : List.of(batch.data(), batch.labels())) {
                        values.add(list.head().toFloatArray());
                        shapes.add(list.head().getShape());
                    }
                }
            }
        }
    }

    private static DataLoader loader(
            RandomAccessDataset dataset, int batchSize, int workers, Pipeline pipeline)
            throws Exception {
        DataLoader.Builder builder =
                DataLoader.builder()
                        .setDataset(dataset)
                        .setBatchSize(batchSize)
                        .optShuffle(true)
                        .optSeed(5)
                        .optNumWorkers(workers);
        if (pipeline != null) {
            builder.optPipeline(pipeline);
        }
        return builder.build();
    }

    private Path csv(int rows, int features) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int f = 0; f < features; f++) {
            text.append('f').append(f).append(',');
        }
        text.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                text.append(r * 10 + f).append('.').append(f).append(',');
            }
            text.append(r % 3).append('\n');
        }
        return Files.writeString(dir.resolve("rows.csv"), text);
    }

    /** Sample i is [i, i] with label i; counts how it is read. */
    private static final class Counting extends FileDataset implements GatheringDataset {
        private final int size;
        final AtomicInteger sampleReads = new AtomicInteger();
        final AtomicInteger batchReads = new AtomicInteger();
        volatile boolean failing;

        Counting(int size) {
            super(FormatOptions.defaults());
            this.size = size;
        }

        @Override
        public Record get(NDManager manager, long index) {
            sampleReads.incrementAndGet();
            return new Record(
                    new NDList(manager.create(new float[] {index, index})),
                    new NDList(manager.create((float) index)));
        }

        @Override
        public Record getBatch(NDManager manager, long[] indices) throws IOException {
            if (failing) {
                throw new IOException("disk gone");
            }
            batchReads.incrementAndGet();
            float[] data = new float[indices.length * 2];
            float[] labels = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                data[2 * i] = data[2 * i + 1] = labels[i] = indices[i];
            }
            return new Record(
                    new NDList(manager.create(data, new Shape(indices.length, 2))),
                    new NDList(manager.create(labels)));
        }

        @Override
        public io.trainsight.data.format.DatasetInfo info() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected long availableSize() {
            return size;
        }

        @Override
        public void prepare(Progress progress) {}
    }
}
