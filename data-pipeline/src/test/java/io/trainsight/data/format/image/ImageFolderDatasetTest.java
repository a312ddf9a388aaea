package io.trainsight.data.format.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.trainsight.data.DataLoader;
import io.trainsight.data.DataLoadingException;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;
import io.trainsight.data.format.DataFormats;
import io.trainsight.data.format.FileDataset;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.MalformedDataException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir Path dir;

    @Test
    void decodesPngAndJpegResizedWithOneClassPerSubFolder() throws Exception {
        image("red/a.png", Color.RED, 10, 20, "png");
        image("red/b.PNG", Color.RED, 7, 7, "png");
        image("blue/x.jpg", Color.BLUE, 16, 12, "jpg");
        Files.writeString(dir.resolve("blue/notes.txt"), "not an image, ignored");
        Files.createDirectories(dir.resolve(".hidden"));
        FileDataset dataset =
                DataFormats.open(dir, "images", FormatOptions.builder().optImageSize(4, 6).build());
        assertThat(dataset.info().classNames()).containsExactly("blue", "red");
        assertThat(dataset.info().inputShape()).isEqualTo(new Shape(3, 4, 6));
        assertThat(dataset.size()).isEqualTo(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Record blue = dataset.get(manager, 0);
            assertThat(blue.getLabels().head().getFloat()).isZero();
            float[] pixels = blue.getData().head().toFloatArray();
            assertThat(pixels).hasSize(3 * 4 * 6);
            assertThat(pixels[0]).as("red channel of a blue JPEG").isLessThan(0.1f);
            assertThat(pixels[2 * 24]).as("blue channel").isGreaterThan(0.9f);
            Record red = dataset.get(manager, 2);
            assertThat(red.getLabels().head().getFloat()).isEqualTo(1f);
            assertThat(red.getData().head().get(0).toFloatArray()).containsOnly(1f);
            assertThat(red.getData().head().get(1).toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void readsOneGrayChannelWhenAsked() throws Exception {
        image("white/w.png", Color.WHITE, 5, 5, "png");
        FileDataset dataset =
                DataFormats.open(
                        dir,
                        "images",
                        FormatOptions.builder().optImageSize(3, 3).optGrayscale(true).build());
        assertThat(dataset.info().inputShape()).isEqualTo(new Shape(1, 3, 3));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(dataset.get(manager, 0).getData().head().toFloatArray()).containsOnly(1f);
        }
    }

    @Test
    void anUnreadableImageIsNamedByFileAndSampleThroughTheLoader() throws Exception {
        image("ok/a.png", Color.GREEN, 4, 4, "png");
        image("ok/b.png", Color.GREEN, 4, 4, "png");
        Path broken =
                Files.write(
                        dir.resolve("ok/c.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        FileDataset dataset = DataFormats.open(dir, "images", FormatOptions.defaults());
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> dataset.get(manager, 2))
                    .isInstanceOf(MalformedDataException.class)
                    .hasMessageStartingWith(broken + ": sample 2 (class 'ok') cannot be decoded");
        }
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(2)
                                .optNumWorkers(2)
                                .build();
                EpochIterator epoch = loader.epoch(0)) {
            assertThatThrownBy(
                            () -> {
                                while (epoch.hasNext()) {
                                    epoch.next().close();
                                }
                            })
                    .isInstanceOfSatisfying(
                            DataLoadingException.class,
                            e -> {
                                assertThat(e.batchIndex()).isEqualTo(1);
                                assertThat(e.sampleIndex()).isEqualTo(2);
                                assertThat(e.getCause()).isInstanceOf(MalformedDataException.class);
                            })
                    .hasMessageContaining(broken.toString());
        }
    }

    @Test
    void trainsInBatchesOfTheConfiguredShape() throws Exception {
        for (int i = 0; i < 5; i++) {
            image("a/" + i + ".png", Color.GRAY, 9, 9, "png");
            image("b/" + i + ".jpeg", Color.DARK_GRAY, 9, 9, "jpg");
        }
        FileDataset dataset =
                DataFormats.open(dir, "images", FormatOptions.builder().optImageSize(8, 8).build());
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(4)
                                .optShuffle(true)
                                .optNumWorkers(2)
                                .build();
                EpochIterator epoch = loader.epoch(1)) {
            int samples = 0;
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    assertThat(batch.data().head().getShape().slice(1))
                            .isEqualTo(new Shape(3, 8, 8));
                    samples += batch.size();
                }
            }
            assertThat(samples).isEqualTo(10);
        }
    }

    @Test
    void aFolderWithoutClassesOrImagesIsRefused() throws IOException {
        assertThatThrownBy(() -> DataFormats.open(dir, "images", FormatOptions.defaults()))
                .hasMessage(
                        dir
                                + ": holds no sub-folder; an image folder holds one sub-folder per"
                                + " class");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> DataFormats.open(dir, "images", FormatOptions.defaults()))
                .hasMessage(
                        dir.resolve("empty") + ": class folder holds no .png, .jpg or .jpeg file");
    }

    private void image(String name, Color color, int width, int height, String format)
            throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    }
}
