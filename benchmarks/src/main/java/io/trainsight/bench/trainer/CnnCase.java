package io.trainsight.bench.trainer;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The layers of the {@code trainsight train --example cnn} job (examples' {@code CnnExample}),
 * built here so the benchmarks do not depend on the command-line application: two 3×3 convolutions
 * of 8 and 16 filters, each with ReLU and 2×2 max pooling, then dense 32 and the classes.
 */
final class CnnCase {

    private CnnCase() {}

    static Block block(int classes) {
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
