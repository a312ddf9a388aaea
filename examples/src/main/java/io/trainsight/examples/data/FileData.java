package io.trainsight.examples.data;

import ai.djl.engine.Engine;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.trainsight.data.format.DataFormats;
import io.trainsight.data.format.DatasetInfo;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.examples.ExampleData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Opens files with data-pipeline's readers and splits them into training and held-out data. */
public final class FileData {

    private FileData() {}

    /**
     * Opens a data set from files and sets a seeded share of it aside.
     *
     * @param path the file or folder
     * @param format {@code csv}, {@code idx} or {@code images}
     * @param options the reader options, with the sampling of the held-out evaluation
     * @param heldOut the share of the samples to hold out, between 0 and 1
     * @param seed the seed of the split
     * @return the data
     * @throws IOException if the files cannot be read or are malformed
     */
    public static ExampleData open(
            Path path, String format, FormatOptions options, double heldOut, long seed)
            throws IOException {
        FileDataset dataset = DataFormats.open(path, format, options);
        DatasetInfo info = dataset.info();
        if (info.numClasses() < 2) {
            throw new IllegalArgumentException(
                    path
                            + " holds one class ("
                            + info.classNames().stream()
                                    .map(name -> "'" + name + "'")
                                    .collect(java.util.stream.Collectors.joining(", "))
                            + "); a classifier needs two or more, else it scores a perfect"
                            + " accuracy that means nothing: add samples of another class");
        }
        long held = Math.max(1, Math.round(info.size() * heldOut));
        if (held >= info.size()) {
            throw new IllegalArgumentException(
                    path + " holds " + info.size() + " samples: too few to hold some out");
        }
        Engine.getInstance().setRandomSeed((int) seed);
        RandomAccessDataset[] parts;
        try {
            parts = dataset.randomSplit((int) (info.size() - held), (int) held);
        } catch (TranslateException e) {
            throw new IOException("Cannot split " + path + ": " + e.getMessage(), e);
        }
        return new ExampleData(parts[0], parts[1], info.inputShape(), info.numClasses(), () -> {});
    }

    /**
     * Opens a training set and a separate test set of the same format, such as Fashion-MNIST's
     * {@code train-*} and {@code t10k-*} files: the whole training set is trained on, and the
     * summary evaluates on the test set.
     *
     * @param training the training set's file or folder
     * @param test the test set's file or folder
     * @param format {@code csv}, {@code idx} or {@code images}
     * @param options the reader options, with the sampling of the evaluation
     * @return the data
     * @throws IOException if the training set cannot be read
     * @throws TestSetException if the test set cannot be read or does not fit the training set
     */
    public static ExampleData withTestSet(
            Path training, Path test, String format, FormatOptions options) throws IOException {
        FileDataset train = DataFormats.open(training, format, options);
        FileDataset held;
        try {
            held = DataFormats.open(test, format, options);
        } catch (IOException | IllegalArgumentException e) {
            throw new TestSetException(e.getMessage(), e);
        }
        DatasetInfo info = train.info();
        if (!held.info().inputShape().equals(info.inputShape())) {
            throw new TestSetException(
                    test
                            + " holds samples of shape "
                            + held.info().inputShape()
                            + ", the training set "
                            + info.inputShape(),
                    null);
        }
        List<String> names = info.classNames();
        List<String> heldNames = held.info().classNames();
        if (heldNames.size() > names.size()
                || !names.subList(0, heldNames.size()).equals(heldNames)) {
            throw new TestSetException(
                    test
                            + " has the classes "
                            + heldNames
                            + ", which do not number as the training set's "
                            + names
                            + " do",
                    null);
        }
        return new ExampleData(train, held, info.inputShape(), info.numClasses(), () -> {});
    }

    /** The test set cannot be read, or does not fit the training set. */
    public static final class TestSetException extends IOException {
        private static final long serialVersionUID = 1L;

        TestSetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
