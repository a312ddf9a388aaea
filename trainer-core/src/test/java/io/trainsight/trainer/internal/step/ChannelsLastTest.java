package io.trainsight.trainer.internal.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.trainsight.trainer.internal.update.LayoutProbe;
import org.junit.jupiter.api.Test;

class ChannelsLastTest {

    @Test
    void imageBatchesKeepShapeAndValuesAndAreLaidOutChannelsLast() {
        try (NDManager manager = NDManager.newBaseManager();
                LayoutProbe probe = new LayoutProbe(manager)) {
            for (Shape shape : new Shape[] {new Shape(4, 3, 5, 6), new Shape(4, 1, 5, 6)}) {
                NDArray images = manager.arange((float) shape.size()).reshape(shape);
                assertThat(probe.channelsLast(images)).as("as loaded, %s", shape).isFalse();
                NDArray converted = ChannelsLast.apply(new NDList(images)).head();
                assertThat(converted.getShape()).isEqualTo(shape);
                assertThat(converted.toFloatArray()).containsExactly(images.toFloatArray());
                assertThat(probe.channelsLast(converted)).as("converted, %s", shape).isTrue();
                assertThat(converted.getManager()).isSameAs(images.getManager());
            }
        }
    }

    @Test
    void aConvolutionAndPoolingGivenChannelsLastAnswerChannelsLast() {
        try (NDManager manager = NDManager.newBaseManager();
                LayoutProbe probe = new LayoutProbe(manager)) {
            NDArray images = manager.randomNormal(new Shape(2, 1, 8, 8));
            NDArray weight = manager.randomNormal(new Shape(4, 1, 3, 3));
            NDArray bias = manager.zeros(new Shape(4));
            NDArray input = ChannelsLast.apply(new NDList(images)).head();
            NDArray features =
                    Conv2d.conv2d(
                                    input,
                                    weight,
                                    bias,
                                    new Shape(1, 1),
                                    new Shape(1, 1),
                                    new Shape(1, 1),
                                    1)
                            .head();
            assertThat(probe.channelsLast(features)).as("convolution").isTrue();
            NDArray pooled =
                    Pool.maxPool2d(
                            features.getNDArrayInternal().relu(),
                            new Shape(2, 2),
                            new Shape(2, 2),
                            new Shape(0, 0),
                            false);
            assertThat(probe.channelsLast(pooled)).as("relu and max pooling").isTrue();
        }
    }

    @Test
    void inputsOfOtherRanksPassAsTheyAre() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rows = manager.ones(new Shape(8, 16));
            NDArray volumes = manager.ones(new Shape(2, 1, 3, 4, 4));
            NDList out = ChannelsLast.apply(new NDList(rows, volumes));
            assertThat(out.get(0)).isSameAs(rows);
            assertThat(out.get(1)).isSameAs(volumes);
        }
    }
}
