package io.trainsight.data.internal.loader;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;
import io.trainsight.data.GatheringDataset;
import java.io.IOException;

/**
 * Reads a batch's samples in one go, when the data set can and nothing has to happen sample by
 * sample: a {@link GatheringDataset}, or DJL's {@link ArrayDataset} (one index operation per
 * array), with no per-sample pipeline and DJL's stacking collation.
 */
abstract class Gather {

    /**
     * Returns how to gather batches of a data set, or null when they are to be read sample by
     * sample.
     *
     * @param dataset the data set
     * @param collation the loader's collation
     * @return the gather, or null
     */
    static Gather of(RandomAccessDataset dataset, Collation collation) {
        if (collation.pipeline() != null
                || collation.targetPipeline() != null
                || collation.dataBatchifier() != Batchifier.STACK
                || collation.labelBatchifier() != Batchifier.STACK) {
            return null;
        }
        if (dataset instanceof GatheringDataset gathering) {
            return new Gather() {
                @Override
                Record read(NDManager manager, long[] indices) throws IOException {
                    return gathering.getBatch(manager, indices);
                }
            };
        }
        if (dataset instanceof ArrayDataset arrays) {
            Gather rows = ArrayRows.of(arrays);
            if (rows != null) {
                return rows;
            }
            return new Gather() {
                @Override
                Record read(NDManager manager, long[] indices) {
                    // Not closed: closing a Batch closes its manager, the job's.
                    Batch batch = arrays.getByIndices(manager, indices);
                    return new Record(batch.getData(), batch.getLabels());
                }
            };
        }
        return null;
    }

    /**
     * Reads the samples as one batch.
     *
     * @param manager the batch's manager
     * @param indices the samples
     * @return the batch's inputs and labels
     * @throws IOException if the data set cannot read them
     */
    abstract Record read(NDManager manager, long[] indices) throws IOException;

    /** Returns an empty list for a data set without labels. */
    static NDList orEmpty(NDList list) {
        return list == null ? new NDList() : list;
    }
}
