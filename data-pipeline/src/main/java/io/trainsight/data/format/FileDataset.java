package io.trainsight.data.format;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.util.Progress;

/**
 * A data set read from files by one of the {@link DataFormats} readers. The files are checked when
 * the data set is opened; {@link #prepare} has nothing left to do. Reading a sample is safe from
 * many threads at once.
 */
public abstract class FileDataset extends RandomAccessDataset {

    /**
     * Creates a data set that DJL's own {@code getData} iterates as the options say.
     *
     * @param options the reader options, of which the sampling is used here
     */
    protected FileDataset(FormatOptions options) {
        super(new Sampling().setSampling(options.batchSize(), options.shuffle()));
    }

    /** Returns the input shape, the classes and the size of the data set. */
    public abstract DatasetInfo info();

    @Override
    protected long availableSize() {
        return info().size();
    }

    @Override
    public void prepare(Progress progress) {
        // Everything was read and checked when the data set was opened.
    }

    /** Carries the sampling to {@link RandomAccessDataset}'s constructor. */
    private static final class Sampling extends BaseBuilder<Sampling> {
        @Override
        protected Sampling self() {
            return this;
        }
    }
}
