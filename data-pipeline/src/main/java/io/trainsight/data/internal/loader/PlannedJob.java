package io.trainsight.data.internal.loader;

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
 * One batch of a random-access data set, built in a manager of its own: each share reads its
 * samples into that manager and applies the pipelines; {@link #finish()} collates them and moves
 * the batch to the device. With a {@link Gather} the batch is read whole, in one share, and needs
 * no collation. A failure names the batch and the sample (or the samples of a gathered batch); the
 * manager is then closed by {@link #abandon()} or, for a failed collation, at once.
 */
final class PlannedJob implements BatchJob {

    private final RandomAccessDataset dataset;
    private final Gather gather;
    private final Collation collation;
    private final long index;
    private final long[] samples;
    private final int parts;
    private final long progress;
    private final long progressTotal;
    private final NDManager manager;
    private final NDList[] data;
    private final NDList[] labels;
    private Record gathered;

    PlannedJob(
            RandomAccessDataset dataset,
            Gather gather,
            NDManager root,
            Collation collation,
            long index,
            long[] samples,
            int parts,
            long progress,
            long progressTotal) {
        this.dataset = dataset;
        this.gather = gather;
        this.collation = collation;
        this.index = index;
        this.samples = samples;
        this.parts = gather != null ? 1 : Math.max(1, Math.min(parts, samples.length));
        this.progress = progress;
        this.progressTotal = progressTotal;
        // Samples are built on the CPU whatever the root's device; the whole batch moves at once.
        this.manager = root.newSubManager(Device.cpu());
        this.data = new NDList[samples.length];
        this.labels = new NDList[samples.length];
    }

    @Override
    public int parts() {
        return parts;
    }

    @Override
    public void load(int part) {
        if (gather != null) {
            gathered = readAll();
            return;
        }
        int from = (int) ((long) samples.length * part / parts);
        int to = (int) ((long) samples.length * (part + 1) / parts);
        for (int i = from; i < to; i++) {
            Record record = read(samples[i]);
            data[i] = transform(collation.pipeline(), record.getData());
            labels[i] = transform(collation.targetPipeline(), record.getLabels());
        }
    }

    @Override
    public Batch finish() {
        try {
            NDList batchData;
            NDList batchLabels;
            if (gather != null) {
                batchData = gathered.getData();
                batchLabels = Gather.orEmpty(gathered.getLabels());
            } else {
                batchData = collate(collation.dataBatchifier(), data);
                batchLabels = collate(collation.labelBatchifier(), labels);
                closeAll(data);
                closeAll(labels);
            }
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

    @Override
    public void abandon() {
        manager.close();
    }

    private Record read(long sample) {
        try {
            return dataset.get(manager, sample);
        } catch (Exception e) {
            throw new DataLoadingException(
                    "Batch " + index + ": loading sample " + sample + " failed: " + e,
                    index,
                    sample,
                    e);
        }
    }

    private Record readAll() {
        try {
            return gather.read(manager, samples);
        } catch (Exception e) {
            throw new DataLoadingException(
                    "Batch "
                            + index
                            + ": reading samples "
                            + Arrays.toString(samples)
                            + " failed: "
                            + e,
                    index,
                    DataLoadingException.NO_SAMPLE,
                    e);
        }
    }

    private NDList collate(Batchifier batchifier, NDList[] lists) {
        try {
            return batchifier.batchify(lists);
        } catch (RuntimeException e) {
            throw new DataLoadingException(
                    "Batch "
                            + index
                            + ": collating samples "
                            + Arrays.toString(samples)
                            + " failed (do their shapes match?): "
                            + e,
                    index,
                    DataLoadingException.NO_SAMPLE,
                    e);
        }
    }

    private static NDList transform(Pipeline pipeline, NDList list) {
        return pipeline == null ? list : pipeline.transform(list);
    }

    private static void closeAll(NDList[] lists) {
        for (NDList list : lists) {
            list.close();
        }
    }
}
