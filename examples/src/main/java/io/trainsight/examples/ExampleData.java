package io.trainsight.examples;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;

/**
 * The data of an example run, generated or read from files.
 *
 * @param trainingSet the training data
 * @param heldOutSet the held-out data the summary evaluates on
 * @param sampleShape the shape of one sample's input, without the batch axis
 * @param classes the number of classes
 * @param resources what to close with the data, e.g. the manager of generated arrays
 */
public record ExampleData(
        RandomAccessDataset trainingSet,
        RandomAccessDataset heldOutSet,
        Shape sampleShape,
        int classes,
        AutoCloseable resources)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
