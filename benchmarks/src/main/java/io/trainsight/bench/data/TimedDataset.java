package io.trainsight.bench.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;

/**
 * A data set whose every sample costs a fixed time to load: a sleep, like {@code time.sleep(0.002)}
 * in a Python loader, or real decoding work. DJL's own iteration reads it in sequential batches
 * with the prefetch number given.
 */
final class TimedDataset extends RandomAccessDataset {

    /** What loading one sample does; returns the sample's values. */
    @FunctionalInterface
    interface Load {
        float[] sample(long index) throws IOException;
    }

    private final long size;
    private final Shape shape;
    private final Load load;

    /**
     * Creates a data set.
     *
     * @param size the number of samples
     * @param shape the shape of a sample
     * @param load what loading a sample does
     * @param batchSize the batch size of DJL's own iteration
     * @param prefetch the prefetch number of DJL's own iteration with an executor
     */
    TimedDataset(long size, Shape shape, Load load, int batchSize, int prefetch) {
        super(new Builder().setSampling(batchSize, false).optPrefetchNumber(prefetch));
        this.size = size;
        this.shape = shape;
        this.load = load;
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        float[] values = load.sample(index);
        return new Record(
                new NDList(manager.create(values, shape)), new NDList(manager.create(index % 10f)));
    }

    @Override
    protected long availableSize() {
        return size;
    }

    @Override
    public void prepare(Progress progress) {}

    private static final class Builder extends BaseBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
