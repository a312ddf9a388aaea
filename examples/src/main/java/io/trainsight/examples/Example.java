package io.trainsight.examples;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * An example training job the {@code trainsight train --example NAME} command can run: a model
 * architecture and a generated data set it learns, so it runs offline. The same architecture also
 * trains on files given with {@code --data}.
 */
public interface Example {

    /** Returns the name users pass to {@code --example}. */
    String name();

    /** Returns one line saying what the example trains on. */
    String description();

    /**
     * Generates the example's own data set.
     *
     * @param settings the user's hyperparameters (the batch size and the seed are used)
     * @return the training and held-out data; the caller closes it
     */
    ExampleData generate(ExampleSettings settings);

    /**
     * Builds the example's model for data of a given shape.
     *
     * @param sampleShape the shape of one sample's input, without the batch axis
     * @param classes the number of classes
     * @return the block, not initialized
     * @throws IllegalArgumentException if the architecture cannot take such input
     */
    Block block(Shape sampleShape, int classes);
}
