package io.trainsight.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Record;
import java.io.IOException;

/**
 * A random-access data set that reads a whole batch at once: it gathers the samples' values into
 * one array per input and per label in Java and creates each in the engine with one call, where
 * reading sample by sample makes one array per sample and then stacks them (PyTorch's {@code
 * __getitems__} serves the same end). {@link DataLoader} uses it when no per-sample pipeline is
 * set; the CSV and IDX readers implement it, and the loader gathers DJL's {@code ArrayDataset} the
 * same way. Create the arrays with {@link BatchArrays}, which writes them into the engine's memory.
 */
public interface GatheringDataset {

    /**
     * Reads the samples at the given indices as one batch.
     *
     * @param manager the manager that owns the arrays created
     * @param indices the samples, in the order they go into the batch
     * @return each input and each label with the batch axis first, as stacking the samples gives
     * @throws IOException if the samples cannot be read
     */
    Record getBatch(NDManager manager, long[] indices) throws IOException;
}
