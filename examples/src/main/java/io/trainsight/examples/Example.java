package io.trainsight.examples;

/**
 * An example training job the {@code trainsight train --example NAME} command can run: it brings
 * its own model, loss, optimizer and data, generated or shipped small, so it runs offline.
 */
public interface Example {

    /** Returns the name users pass to {@code --example}. */
    String name();

    /** Returns one line saying what the example trains on. */
    String description();

    /**
     * Builds the model, the loss, the optimizer and the data of one run.
     *
     * @param settings the user's hyperparameters
     * @return the parts of the run; the caller closes it
     */
    ExampleRun prepare(ExampleSettings settings);
}
