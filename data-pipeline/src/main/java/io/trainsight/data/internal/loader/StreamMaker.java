package io.trainsight.data.internal.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.trainsight.data.DataLoadingException;
import java.util.Iterator;

/**
 * Reads the batches of a data set that is not random access from its own iterator, in the order and
 * sizes it makes them, and moves each into a manager of its own. It must be called with increasing
 * indices from one thread at a time (each batch is one share: an iterator cannot be split); batches
 * before the first index asked for are read and dropped.
 */
final class StreamMaker implements BatchMaker {

    private final Dataset dataset;
    private final NDManager manager;
    private final NDManager root;
    private final Collation collation;
    private Iterator<Batch> batches;
    private long position;

    /**
     * Creates a maker.
     *
     * @param dataset the data set read
     * @param root the manager under which the data set's iteration runs
     * @param collation the device each batch moves to (the data set collates its own batches)
     */
    StreamMaker(Dataset dataset, NDManager root, Collation collation) {
        this.dataset = dataset;
        this.root = root;
        this.collation = collation;
        this.manager = root.newSubManager();
    }

    @Override
    public BatchJob job(long index, int parts) {
        return new BatchJob() {
            private Batch batch;
            private boolean ended;

            @Override
            public int parts() {
                return 1;
            }

            @Override
            public void load(int part) {
                batch = next(index);
                ended = batch == null;
            }

            @Override
            public Batch finish() {
                return ended ? null : batch;
            }

            @Override
            public void abandon() {
                if (batch != null) {
                    batch.close();
                }
            }
        };
    }

    /** Reads the batch at {@code index}, or returns {@code null} if the epoch ends before it. */
    private Batch next(long index) {
        if (batches == null) {
            batches = open(index);
        }
        while (position < index && batches.hasNext()) {
            batches.next().close();
            position++;
        }
        if (!batches.hasNext()) {
            return null;
        }
        position++;
        return adopt(batches.next());
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Moves a batch into a manager of its own, on the device. */
    private Batch adopt(Batch batch) {
        NDManager own = root.newSubManager(Device.cpu());
        try {
            // The Batch constructor attaches the arrays to the new manager, so closing the data
            // set's batch afterwards frees only what the data set kept for itself.
            Batch adopted =
                    new Batch(
                            own,
                            collation.toDevice(batch.getData()),
                            collation.toDevice(batch.getLabels()),
                            batch.getSize(),
                            collation.dataBatchifier(),
                            collation.labelBatchifier(),
                            batch.getProgress(),
                            batch.getProgressTotal(),
                            batch.getIndices());
            batch.close();
            return adopted;
        } catch (RuntimeException | Error e) {
            own.close();
            batch.close();
            throw e;
        }
    }

    private Iterator<Batch> open(long index) {
        try {
            return dataset.getData(manager).iterator();
        } catch (Exception e) {
            throw new DataLoadingException(
                    "Batch " + index + ": the data set could not start an epoch: " + e,
                    index,
                    DataLoadingException.NO_SAMPLE,
                    e);
        }
    }
}
