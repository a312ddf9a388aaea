package io.trainsight.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block that passes its input through and, at one chosen forward pass, asks libtorch for 4 TiB: a
 * real allocator failure from the engine, for the out-of-memory tests.
 */
public final class FailingAllocation {

    private final AtomicInteger forwards = new AtomicInteger();
    private final AtomicInteger failAt = new AtomicInteger(-1);

    /**
     * Returns the block; put it in front of a model.
     *
     * @return the block
     */
    public LambdaBlock block() {
        return new LambdaBlock(
                list -> {
                    NDArray x = list.singletonOrThrow();
                    if (forwards.incrementAndGet() == failAt.get()) {
                        x.getManager().zeros(new Shape(1L << 40)).close();
                    }
                    return new NDList(x);
                });
    }

    /**
     * Makes the {@code n}-th forward pass from now fail.
     *
     * @param n how many forward passes ahead, 1 for the next
     */
    public void failAfter(int n) {
        failAt.set(forwards.get() + n);
    }
}
