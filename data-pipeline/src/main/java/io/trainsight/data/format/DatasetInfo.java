package io.trainsight.data.format;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;

/**
 * What a model needs to know about a data set read from files: the shape of one sample's input and
 * the classes its labels name. Labels are float32 scalars holding the class number, as DJL's
 * softmax cross-entropy loss takes them.
 *
 * @param source the file or folder read
 * @param format the format name, as {@link DataFormats#open} takes it
 * @param size the number of samples
 * @param inputShape the shape of one sample's data, without the batch axis: {@code (features)} for
 *     CSV, {@code (channels, height, width)} for images and IDX images
 * @param classNames the name of each class, by class number; their count is the number of classes
 */
public record DatasetInfo(
        Path source, String format, long size, Shape inputShape, List<String> classNames) {

    /** Copies the class names. */
    public DatasetInfo {
        classNames = List.copyOf(classNames);
    }

    /** Returns the number of classes. */
    public int numClasses() {
        return classNames.size();
    }
}
