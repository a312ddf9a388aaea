package io.trainsight.examples.cnn;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.data.PatternImages;

/**
 * A small convolutional net (two 3×3 convolutions with max pooling, then two dense layers) learning
 * to tell four kinds of generated 16×16 pattern images apart. On file data it takes images (IDX or
 * an image folder) of any size and channel count.
 */
public final class CnnExample implements Example {

    static final int SIZE = 16;
    static final int TRAINING_SAMPLES = 4096;
    static final int HELD_OUT_SAMPLES = 1024;
    private static final float NOISE = 0.8f;

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String description() {
        return "CNN conv8-conv16-32-4 on generated 16x16 pattern images (4096 training, 1024"
                + " held-out)";
    }

    @Override
    public ExampleData generate(ExampleSettings settings) {
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        PatternImages images = new PatternImages(SIZE, NOISE);
        int batch = settings.batchSize();
        return new ExampleData(
                images.sample(manager, TRAINING_SAMPLES, batch, true, settings.seed() + 1),
                images.sample(manager, HELD_OUT_SAMPLES, batch, false, settings.seed() + 2),
                new Shape(1, SIZE, SIZE),
                PatternImages.CLASSES,
                manager);
    }

    @Override
    public Block block(Shape sampleShape, int classes) {
        if (sampleShape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "the cnn example takes images (channels, height, width), got samples of shape "
                            + sampleShape
                            + "; use --format idx or images, or --example mlp");
        }
        return new SequentialBlock()
                .add(conv(8))
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(16))
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }
}
