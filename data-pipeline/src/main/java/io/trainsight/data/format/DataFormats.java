package io.trainsight.data.format;

import io.trainsight.data.format.csv.CsvDataset;
import io.trainsight.data.format.idx.IdxDataset;
import io.trainsight.data.format.image.ImageFolderDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens a data set from files, by format name, as the command line's {@code --data PATH --format
 * NAME} does:
 *
 * <ul>
 *   <li>{@code csv}: a CSV or TSV file with a header; the label column is chosen by name, every
 *       other column is a numeric feature ({@link CsvDataset});
 *   <li>{@code idx}: MNIST-style IDX files, gzipped or not: {@code PATH} is the images file (the
 *       labels file is found beside it) or a folder holding both ({@link IdxDataset});
 *   <li>{@code images}: a folder with one sub-folder of PNG/JPEG images per class ({@link
 *       ImageFolderDataset}).
 * </ul>
 *
 * The returned data set's {@link FileDataset#info()} gives the input shape and the classes, from
 * which a model can be built.
 */
public final class DataFormats {

    /** The format names {@link #open} accepts. */
    public static final List<String> NAMES = List.of("csv", "idx", "images");

    private DataFormats() {}

    /**
     * Opens a data set, reading and checking its files (images are checked when decoded).
     *
     * @param path the file or folder
     * @param format one of {@link #NAMES}, in any case
     * @param options the reader options
     * @return the data set
     * @throws IllegalArgumentException if the format is not one of {@link #NAMES}
     * @throws MalformedDataException naming the file and position if a file is not valid
     * @throws IOException if a file cannot be found or read
     */
    public static FileDataset open(Path path, String format, FormatOptions options)
            throws IOException {
        String name = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (NAMES.contains(name) && !Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or folder");
        }
        return switch (name) {
            case "csv" -> CsvDataset.open(path, options);
            case "idx" -> IdxDataset.open(path, options);
            case "images" -> ImageFolderDataset.open(path, options);
            default ->
                    throw new IllegalArgumentException(
                            "format '"
                                    + format
                                    + "' is not known; valid formats are "
                                    + String.join(", ", NAMES));
        };
    }
}
