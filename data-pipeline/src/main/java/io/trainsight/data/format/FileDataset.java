package io.trainsight.data.format;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.trainsight.data.GatheringDataset;
import java.io.IOException;
import java.util.List;

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

    /** A subset ({@code randomSplit}) of a gathering reader gathers its batches too. */
    @Override
    protected RandomAccessDataset newSubDataset(int[] indices, int from, int to) {
        if (!(this instanceof GatheringDataset)) {
            return super.newSubDataset(indices, from, to);
        }
        long[] picked = new long[to - from];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = indices[from + i];
        }
        return new Subset(this, picked);
    }

    @Override
    protected RandomAccessDataset newSubDataset(List<Long> subIndices) {
        if (!(this instanceof GatheringDataset)) {
            return super.newSubDataset(subIndices);
        }
        return new Subset(this, subIndices.stream().mapToLong(Long::longValue).toArray());
    }

    /** Carries the sampling to {@link RandomAccessDataset}'s constructor. */
    private static final class Sampling extends BaseBuilder<Sampling> {
        @Override
        protected Sampling self() {
            return this;
        }
    }

    /** Some samples of a gathering reader, by their indices in it, with its sampling. */
    private static final class Subset extends RandomAccessDataset implements GatheringDataset {

        private final FileDataset parent;
        private final long[] picked;

        Subset(FileDataset parent, long[] picked) {
            super(new Sampling().setSampling(parent.sampler));
            this.parent = parent;
            this.picked = picked;
        }

        @Override
        public Record get(NDManager manager, long index) throws IOException {
            return parent.get(manager, picked[Math.toIntExact(index)]);
        }

        @Override
        public Record getBatch(NDManager manager, long[] indices) throws IOException {
            long[] mapped = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                mapped[i] = picked[Math.toIntExact(indices[i])];
            }
            return ((GatheringDataset) parent).getBatch(manager, mapped);
        }

        @Override
        protected long availableSize() {
            return picked.length;
        }

        @Override
        public void prepare(Progress progress) {
            // The parent read and checked everything when it was opened.
        }
    }
}
