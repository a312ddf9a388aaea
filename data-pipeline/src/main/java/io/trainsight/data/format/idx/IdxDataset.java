package io.trainsight.data.format.idx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.BatchArrays;
import io.trainsight.data.GatheringDataset;
import io.trainsight.data.format.DatasetInfo;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An IDX images file and its labels file (MNIST, Fashion-MNIST, EMNIST). A sample is a float32
 * array of the images file's sample shape, with a channel axis of 1 in front of a {@code height ×
 * width} image, so {@code (1, 28, 28)} for MNIST; unsigned-byte pixels are scaled to [0, 1]. Its
 * label is the class number as a float32 scalar; the classes are 0 to the largest label.
 */
public final class IdxDataset extends FileDataset implements GatheringDataset {

    /** Each reading thread's buffer for a batch's pixels, reused: the engine copies them. */
    private static final ThreadLocal<ByteBuffer> PIXELS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

    private final IdxFile images;
    private final float[] labels;
    private final Shape sampleShape;
    private final DatasetInfo info;

    private IdxDataset(
            FormatOptions options, IdxFile images, float[] labels, Shape shape, DatasetInfo info) {
        super(options);
        this.images = images;
        this.labels = labels;
        this.sampleShape = shape;
        this.info = info;
    }

    /**
     * Reads and checks the images and labels files.
     *
     * @param path the images file, or a folder holding it (see {@link IdxPaths})
     * @param options the labels file, if it is not beside the images
     * @return the data set
     * @throws MalformedDataException if a file is not valid IDX, the labels are not a
     *     one-dimensional file of whole numbers, or the counts differ
     * @throws IOException if a file cannot be found or read
     */
    public static IdxDataset open(Path path, FormatOptions options) throws IOException {
        IdxPaths paths = IdxPaths.resolve(path, options.labelsFile());
        IdxFile images = IdxFile.read(paths.images());
        IdxFile labelFile = IdxFile.read(paths.labels());
        int[] dims = images.dims();
        if (dims.length < 2) {
            throw new MalformedDataException(
                    images.path(),
                    "the file holds "
                            + IdxFile.shape(dims)
                            + " elements, one dimension; an images file has a sample axis and at"
                            + " least one more");
        }
        if (labelFile.dims().length != 1 || !labelFile.type().integral()) {
            throw new MalformedDataException(
                    labelFile.path(),
                    "a labels file is one dimension of whole numbers, but this one holds "
                            + IdxFile.shape(labelFile.dims())
                            + " elements of type "
                            + labelFile.type());
        }
        if (labelFile.count() != images.count()) {
            throw new MalformedDataException(
                    labelFile.path(),
                    "holds "
                            + labelFile.count()
                            + " labels, but the images file "
                            + images.path().getFileName()
                            + " holds "
                            + images.count()
                            + " images");
        }
        float[] labels = new float[labelFile.count()];
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            double label = labelFile.scalar(i);
            if (label < 0) {
                throw new MalformedDataException(
                        labelFile.path(),
                        "label " + i + " is " + (long) label + "; class numbers start at 0");
            }
            labels[i] = (float) label;
            classes = Math.max(classes, (int) label + 1);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        long[] shape = new long[dims.length == 3 ? 3 : dims.length - 1];
        for (int d = 1; d < dims.length; d++) {
            shape[dims.length == 3 ? d : d - 1] = dims[d];
        }
        if (dims.length == 3) {
            shape[0] = 1; // one channel in front of a height × width image
        }
        Shape sampleShape = new Shape(shape);
        DatasetInfo info =
                new DatasetInfo(paths.images(), "idx", images.count(), sampleShape, names);
        return new IdxDataset(options, images, labels, sampleShape, info);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int sample = Math.toIntExact(index);
        return new Record(
                new NDList(manager.create(images.sample(sample), sampleShape)),
                new NDList(manager.create(labels[sample])));
    }

    /**
     * Builds a batch in one go. Unsigned-byte pixels cross into the engine as they are stored, one
     * byte each, and become floats in [0, 1] there (the same values as {@link #get}'s): a quarter
     * of the bytes to copy, and no per-pixel Java loop, which runs slowly until the JIT compiles it
     * (for the first thousand batches or so).
     */
    @Override
    public Record getBatch(NDManager manager, long[] indices) {
        int n = indices.length;
        int elements = Math.toIntExact(sampleShape.size());
        Shape shape = new Shape(n).addAll(sampleShape);
        float[] batchLabels = new float[n];
        NDArray batch;
        if (images.unsignedBytes()) {
            ByteBuffer pixels = PIXELS.get();
            if (pixels.capacity() < n * elements) {
                pixels = ByteBuffer.allocateDirect(n * elements);
                PIXELS.set(pixels);
            }
            for (int i = 0; i < n; i++) {
                int sample = Math.toIntExact(indices[i]);
                images.copySampleBytes(sample, pixels, i * elements);
                batchLabels[i] = labels[sample];
            }
            try (NDArray raw =
                    manager.create(pixels.slice(0, n * elements), shape, DataType.UINT8)) {
                batch = raw.toType(DataType.FLOAT32, false).divi(255f);
            }
        } else {
            float[] values = new float[n * elements];
            for (int i = 0; i < n; i++) {
                int sample = Math.toIntExact(indices[i]);
                images.copySample(sample, values, i * elements);
                batchLabels[i] = labels[sample];
            }
            batch = BatchArrays.of(manager, values, shape);
        }
        return new Record(
                new NDList(batch), new NDList(BatchArrays.of(manager, batchLabels, new Shape(n))));
    }

    @Override
    public DatasetInfo info() {
        return info;
    }
}
