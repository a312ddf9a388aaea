package io.trainsight.data.format.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the two files of an IDX data set. MNIST and Fashion-MNIST ship images and labels apart,
 * named {@code train-images-idx3-ubyte[.gz]} and {@code train-labels-idx1-ubyte[.gz]} (some copies
 * write {@code .idx3-ubyte}). A path may name:
 *
 * <ul>
 *   <li>the images file: the labels file is the one beside it with {@code images} read as {@code
 *       labels} and {@code idx3} as {@code idx1}, gzipped or not;
 *   <li>a folder: its images file is {@code train-images…} if there is one, else its only {@code
 *       …images…idx…} file; the labels are found beside it as above.
 * </ul>
 *
 * @param images the images file
 * @param labels the labels file
 */
record IdxPaths(Path images, Path labels) {

    /**
     * Resolves the two files.
     *
     * @param path an images file or a folder holding one
     * @param labels the labels file, or {@code null} to find it beside the images
     * @return the two files
     * @throws IOException naming what was looked for if a file cannot be found
     */
    static IdxPaths resolve(Path path, Path labels) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": no such file or folder");
        }
        Path images = Files.isDirectory(path) ? imagesIn(path) : path;
        if (labels != null) {
            if (!Files.isRegularFile(labels)) {
                throw new IOException(labels + ": no such labels file");
            }
            return new IdxPaths(images, labels);
        }
        return new IdxPaths(images, labelsBeside(images));
    }

    private static Path imagesIn(Path folder) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> name(f).contains("images") && name(f).contains("idx"))
                    .sorted()
                    .forEach(candidates::add);
        }
        List<Path> train = candidates.stream().filter(f -> name(f).startsWith("train-")).toList();
        if (train.size() == 1) {
            return train.get(0);
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new IOException(
                folder
                        + ": "
                        + (candidates.isEmpty()
                                ? "holds no IDX images file (a name like"
                                        + " train-images-idx3-ubyte.gz)"
                                : "holds several IDX images files ("
                                        + String.join(
                                                ", ",
                                                candidates.stream().map(IdxPaths::name).toList())
                                        + "); name one of them instead of the folder"));
    }

    private static Path labelsBeside(Path images) throws IOException {
        String name = name(images);
        if (!name.contains("images")) {
            throw new IOException(
                    images
                            + ": cannot guess the labels file of an images file whose name has no"
                            + " 'images' in it; name the labels file explicitly");
        }
        String base = name.replace("images", "labels").replace("idx3", "idx1");
        String plain = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
        List<Path> tried =
                List.of(images.resolveSibling(plain), images.resolveSibling(plain + ".gz"));
        for (Path candidate : tried) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException(
                images
                        + ": no labels file beside it; looked for "
                        + String.join(" and ", tried.stream().map(Path::toString).toList())
                        + " (name the labels file explicitly)");
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
