package io.trainsight.data.format.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    @TempDir Path dir;

    @Test
    void readsGzippedMnistFilesFromTheirFolderPreferringTheTrainingSet() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.images(6, 3, 2));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.labels(6, 4));
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.images(2, 3, 2));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.labels(2, 4));
        IdxDataset dataset = IdxDataset.open(dir, FormatOptions.defaults());
        assertThat(dataset.size()).isEqualTo(6);
        assertThat(dataset.info().inputShape()).isEqualTo(new Shape(1, 3, 2));
        assertThat(dataset.info().numClasses()).isEqualTo(4);
        assertThat(dataset.info().source().getFileName().toString())
                .isEqualTo("train-images-idx3-ubyte.gz");
        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = dataset.get(manager, 5);
            assertThat(record.getData().head().getShape()).isEqualTo(new Shape(1, 3, 2));
            float[] pixels = record.getData().head().toFloatArray();
            float[] expected = new float[6];
            Arrays.fill(expected, 5 / 255f);
            assertThat(pixels).containsExactly(expected);
            assertThat(record.getLabels().head().getFloat()).isEqualTo(1f);
        }
    }

    @Test
    void aBatchReadInOneGoIsItsSamplesStacked() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(7, 3, 2));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(7, 3));
        IdxDataset dataset = IdxDataset.open(dir, FormatOptions.defaults());
        long[] picked = {6, 0, 3};
        try (NDManager manager = NDManager.newBaseManager()) {
            Record batch = dataset.getBatch(manager, picked);
            assertThat(batch.getData().head().getShape()).isEqualTo(new Shape(3, 1, 3, 2));
            assertThat(batch.getLabels().head().getShape()).isEqualTo(new Shape(3));
            float[] pixels = batch.getData().head().toFloatArray();
            float[] labels = batch.getLabels().head().toFloatArray();
            for (int i = 0; i < picked.length; i++) {
                Record sample = dataset.get(manager, picked[i]);
                assertThat(Arrays.copyOfRange(pixels, i * 6, i * 6 + 6))
                        .containsExactly(sample.getData().head().toFloatArray());
                assertThat(labels[i]).isEqualTo(sample.getLabels().head().getFloat());
            }
        }
    }

    @Test
    void everyPixelValueOfABatchIsTheSampleValueTheByteScaledToOne() throws IOException {
        byte[] pixels = new byte[2 * 256];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i < 256 ? i : 511 - i); // 0..255, then 255..0
        }
        IdxFiles.write(
                dir.resolve("train-images-idx3-ubyte"),
                IdxFiles.ubyte(new int[] {2, 16, 16}, pixels));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(2, 2));
        IdxDataset dataset = IdxDataset.open(dir, FormatOptions.defaults());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = dataset.getBatch(manager, new long[] {1, 0}).getData().head();
            assertThat(batch.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] values = batch.toFloatArray();
            for (int v = 0; v < 256; v++) {
                assertThat(values[256 + v]).as("pixel byte %d", v).isEqualTo(v / 255f);
                assertThat(values[255 - v]).as("pixel byte %d", v).isEqualTo(v / 255f);
            }
            assertThat(Arrays.copyOfRange(values, 0, 256))
                    .containsExactly(dataset.get(manager, 1).getData().head().toFloatArray());
        }
    }

    @Test
    void findsThePlainLabelsFileBesideAnImagesFile() throws IOException {
        Path images =
                IdxFiles.write(dir.resolve("test-images.idx3-ubyte"), IdxFiles.images(3, 2, 2));
        IdxFiles.write(dir.resolve("test-labels.idx1-ubyte"), IdxFiles.labels(3, 10));
        IdxDataset dataset = IdxDataset.open(images, FormatOptions.defaults());
        assertThat(dataset.size()).isEqualTo(3);
        assertThat(dataset.info().numClasses())
                .as("labels 0, 1, 2 make three classes")
                .isEqualTo(3);
    }

    @Test
    void aWrongMagicNumberIsNamed() throws IOException {
        byte[] bytes = IdxFiles.images(2, 2, 2);
        bytes[2] = 0x07;
        Path images = writePair("bad-images-idx3-ubyte", bytes, IdxFiles.labels(2, 2));
        assertMalformed(images, images, "byte 0: the magic number is 0x00000703");
    }

    @Test
    void truncatedDataIsNamedByByteOffsetAndSample() throws IOException {
        byte[] whole = IdxFiles.images(4, 2, 2);
        Path images =
                writePair(
                        "cut-images-idx3-ubyte",
                        Arrays.copyOf(whole, whole.length - 6),
                        IdxFiles.labels(4, 2));
        assertMalformed(
                images,
                images,
                "byte 26: the header declares 4×2×2 elements of 1 byte(s), 32 bytes in all, but the"
                        + " file ends here, in sample 2 (truncated)");
        Path header =
                writePair("head-images-idx3-ubyte", Arrays.copyOf(whole, 9), IdxFiles.labels(4, 2));
        assertMalformed(header, header, "byte 9: the file ends inside its header");
    }

    @Test
    void aCutGzipStreamIsNamed() throws IOException {
        Path images =
                IdxFiles.write(dir.resolve("gz-images-idx3-ubyte.gz"), IdxFiles.images(50, 8, 8));
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(gz, gz.length - 20));
        IdxFiles.write(dir.resolve("gz-labels-idx1-ubyte.gz"), IdxFiles.labels(50, 2));
        assertMalformed(images, images, "of the uncompressed data: the gzip stream ends early");
    }

    @Test
    void labelsThatDoNotMatchTheImagesAreNamed() throws IOException {
        Path images =
                writePair("n-images-idx3-ubyte", IdxFiles.images(3, 2, 2), IdxFiles.labels(2, 2));
        assertMalformed(
                images,
                dir.resolve("n-labels-idx1-ubyte"),
                "holds 2 labels, but the images file n-images-idx3-ubyte holds 3 images");
        Path flat =
                writePair(
                        "f-images-idx3-ubyte", IdxFiles.images(2, 2, 2), IdxFiles.images(2, 1, 1));
        assertMalformed(flat, dir.resolve("f-labels-idx1-ubyte"), "a labels file is one dimension");
    }

    @Test
    void aMissingLabelsFileSaysWhatWasLookedFor() throws IOException {
        Path images = IdxFiles.write(dir.resolve("x-images-idx3-ubyte"), IdxFiles.images(2, 2, 2));
        assertThatThrownBy(() -> IdxDataset.open(images, FormatOptions.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(
                        "no labels file beside it; looked for "
                                + dir.resolve("x-labels-idx1-ubyte"));
        Path labels = IdxFiles.write(dir.resolve("elsewhere.idx"), IdxFiles.labels(2, 2));
        assertThat(
                        IdxDataset.open(
                                        images,
                                        FormatOptions.builder().optLabelsFile(labels).build())
                                .size())
                .isEqualTo(2);
    }

    private Path writePair(String imagesName, byte[] images, byte[] labels) throws IOException {
        IdxFiles.write(
                dir.resolve(imagesName.replace("images", "labels").replace("idx3", "idx1")),
                labels);
        return IdxFiles.write(dir.resolve(imagesName), images);
    }

    private static void assertMalformed(Path path, Path culprit, String message) {
        assertThatThrownBy(() -> IdxDataset.open(path, FormatOptions.defaults()))
                .isInstanceOfSatisfying(
                        MalformedDataException.class, e -> assertThat(e.file()).isEqualTo(culprit))
                .hasMessageContaining(message);
    }
}
