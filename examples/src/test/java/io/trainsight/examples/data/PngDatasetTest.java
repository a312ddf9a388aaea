package io.trainsight.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The io-bound example's images: read a batch at a time, they are what reading one by one gives.
 */
class PngDatasetTest {

    private static final int SIZE = 8;

    @Test
    void aGatheredBatchHoldsTheSamplesAsReadOneByOne() throws Exception {
        PngDataset dataset =
                PngDataset.generate(new PatternImages(SIZE, 0.8f), 12, 4, false, 7, Duration.ZERO);
        long[] indices = {5, 0, 11, 5};

        try (NDManager manager = NDManager.newBaseManager()) {
            Record batch = dataset.getBatch(manager, indices);
            NDList data = new NDList();
            NDList labels = new NDList();
            for (long index : indices) {
                Record sample = dataset.get(manager, index);
                data.add(sample.getData().singletonOrThrow());
                labels.add(sample.getLabels().singletonOrThrow());
            }

            NDArray pixels = batch.getData().singletonOrThrow();
            assertThat(pixels.getShape()).isEqualTo(new Shape(4, 1, SIZE, SIZE));
            assertThat(pixels.toFloatArray()).containsExactly(NDArrays.stack(data).toFloatArray());
            assertThat(batch.getLabels().singletonOrThrow().toFloatArray())
                    .containsExactly(NDArrays.stack(labels).toFloatArray())
                    .containsExactly(1, 0, 3, 1);
            // grayscale scaled to [0, 1], and not all one value
            assertThat(pixels.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(pixels.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(pixels.max().getFloat()).isGreaterThan(pixels.min().getFloat());
        }
    }
}
