package io.trainsight.data.format.image;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.BatchArrays;
import io.trainsight.data.format.DatasetInfo;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of images with one sub-folder per class, as PyTorch's {@code ImageFolder} reads it:
 * {@code root/cat/001.png}, {@code root/dog/a.jpg}. Classes are the sub-folders in sorted order;
 * files ending in {@code .png}, {@code .jpg} or {@code .jpeg} are the samples, other files and
 * hidden entries are ignored. Images are decoded when a sample is read (on the loader's workers),
 * resized to the configured size, as float32 {@code (channels, height, width)} in [0, 1]; the label
 * is the class number as a float32 scalar.
 */
public final class ImageFolderDataset extends FileDataset {

    private final List<Path> files;
    private final float[] labels;
    private final ImageDecoder decoder;
    private final Shape shape;
    private final DatasetInfo info;

    private ImageFolderDataset(
            FormatOptions options, List<Path> files, float[] labels, DatasetInfo info) {
        super(options);
        this.files = files;
        this.labels = labels;
        this.decoder =
                new ImageDecoder(options.imageHeight(), options.imageWidth(), options.grayscale());
        this.shape = info.inputShape();
        this.info = info;
    }

    /**
     * Lists the classes and their images.
     *
     * @param root the folder holding one sub-folder per class
     * @param options the image size and channels
     * @return the data set
     * @throws IOException if the folder cannot be listed, has no class sub-folder, or a class has
     *     no image
     */
    public static ImageFolderDataset open(Path root, FormatOptions options) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(
                    root + ": not a folder; an image folder holds one sub-folder per class");
        }
        List<Path> classes = list(root, Files::isDirectory);
        if (classes.isEmpty()) {
            throw new IOException(
                    root + ": holds no sub-folder; an image folder holds one sub-folder per class");
        }
        List<Path> files = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path folder : classes) {
            List<Path> images = list(folder, ImageFolderDataset::isImage);
            if (images.isEmpty()) {
                throw new IOException(folder + ": class folder holds no .png, .jpg or .jpeg file");
            }
            for (Path image : images) {
                files.add(image);
                labels.add((float) names.size());
            }
            names.add(folder.getFileName().toString());
        }
        float[] classOf = new float[labels.size()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = labels.get(i);
        }
        int channels = options.grayscale() ? 1 : 3;
        Shape shape = new Shape(channels, options.imageHeight(), options.imageWidth());
        DatasetInfo info = new DatasetInfo(root, "images", files.size(), shape, names);
        return new ImageFolderDataset(options, List.copyOf(files), classOf, info);
    }

    /**
     * Decodes one image.
     *
     * @throws MalformedDataException naming the file and the sample if it cannot be decoded
     */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        int sample = Math.toIntExact(index);
        Path file = files.get(sample);
        float[] pixels;
        try (InputStream in = Files.newInputStream(file)) {
            pixels = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException(
                    file,
                    "sample "
                            + sample
                            + " (class '"
                            + info.classNames().get((int) labels[sample])
                            + "') cannot be decoded as a PNG or JPEG image: "
                            + e.getMessage(),
                    e);
        }
        return new Record(
                new NDList(BatchArrays.of(manager, pixels, shape)),
                new NDList(manager.create(labels[sample])));
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file)
                && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    private static List<Path> list(Path folder, java.util.function.Predicate<Path> keep)
            throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(keep)
                    .sorted()
                    .toList();
        }
    }
}
