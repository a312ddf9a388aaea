package io.trainsight.data.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;
import io.trainsight.data.DataLoadingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one batch of a random-access data set in a manager of its own: reads each sample into that
 * manager, applies the pipelines, collates, and moves the result to the device. If anything fails,
 * the manager is closed and the failure names the batch and the sample.
 */
final class BatchAssembler {

    private final RandomAccessDataset dataset;
    private final NDManager root;
    private final Collation collation;

    /**
     * Creates an assembler.
     *
     * @param dataset the data set read
     * @param root the manager under which each batch gets its own sub-manager
     * @param collation how samples become a batch
     */
    BatchAssembler(RandomAccessDataset dataset, NDManager root, Collation collation) {
        this.dataset = dataset;
        this.root = root;
        this.collation = collation;
    }

    /**
     * Builds a batch.
     *
     * @param batchIndex the batch's position in the epoch, for messages
     * @param samples the data set indices of its samples
     * @param progress the samples visited once this batch is done
     * @param progressTotal the samples the epoch visits
     * @return the batch, owning its manager
     * @throws DataLoadingException naming the batch and the sample if a step fails
     */
    Batch assemble(long batchIndex, long[] samples, long progress, long progressTotal) {
        // Samples are built on the CPU whatever the root's device; the whole batch moves at once.
        NDManager manager = root.newSubManager(Device.cpu());
        try {
            NDList[] data = new NDList[samples.length];
            NDList[] labels = new NDList[samples.length];
            for (int i = 0; i < samples.length; i++) {
                Record record = read(batchIndex, samples[i], manager);
                data[i] = transform(collation.pipeline(), record.getData());
                labels[i] = transform(collation.targetPipeline(), record.getLabels());
            }
            NDList batchData = collate(collation.dataBatchifier(), data, batchIndex, samples);
            NDList batchLabels = collate(collation.labelBatchifier(), labels, batchIndex, samples);
            closeAll(data);
            closeAll(labels);
            List<Long> indices = new ArrayList<>(samples.length);
            for (long sample : samples) {
                indices.add(sample);
            }
            return new Batch(
                    manager,
                    collation.toDevice(batchData),
                    collation.toDevice(batchLabels),
                    samples.length,
                    collation.dataBatchifier(),
                    collation.labelBatchifier(),
                    progress,
                    progressTotal,
                    indices);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private Record read(long batchIndex, long sample, NDManager manager) {
        try {
            return dataset.get(manager, sample);
        } catch (Exception e) {
            throw new DataLoadingException(
                    "Batch " + batchIndex + ": loading sample " + sample + " failed: " + e,
                    batchIndex,
                    sample,
                    e);
        }
    }

    private static NDList transform(Pipeline pipeline, NDList list) {
        return pipeline == null ? list : pipeline.transform(list);
    }

    private static NDList collate(
            Batchifier batchifier, NDList[] lists, long batchIndex, long[] samples) {
        try {
            return batchifier.batchify(lists);
        } catch (RuntimeException e) {
            throw new DataLoadingException(
                    "Batch "
                            + batchIndex
                            + ": collating samples "
                            + Arrays.toString(samples)
                            + " failed (do their shapes match?): "
                            + e,
                    batchIndex,
                    DataLoadingException.NO_SAMPLE,
                    e);
        }
    }

    private static void closeAll(NDList[] lists) {
        for (NDList list : lists) {
            list.close();
        }
    }
}
