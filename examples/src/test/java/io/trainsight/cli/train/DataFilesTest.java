package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.cli.CliRun;
import io.trainsight.cli.TrainsightCli;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --data PATH --format ...}: the examples train on files the test writes. */
class DataFilesTest {

    @TempDir Path tmp;

    @Test
    void theMlpTrainsOnACsvFileWithPrefetchingWorkers() throws IOException {
        Path csv = tmp.resolve("blobs.csv");
        StringBuilder text = new StringBuilder("x1,x2,x3,species\n");
        Random random = new Random(3);
        for (int i = 0; i < 600; i++) {
            int c = i % 3;
            for (int f = 0; f < 3; f++) {
                text.append(String.format("%.4f,", c * 1.5 + random.nextGaussian()));
            }
            text.append(new String[] {"setosa", "versicolor", "virginica"}[c]).append('\n');
        }
        Files.writeString(csv, text);
        Path out = tmp.resolve("csv-run");

        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--data",
                        csv.toString(),
                        "--format",
                        "csv",
                        "--label-column",
                        "species",
                        "--epochs",
                        "3",
                        "--workers",
                        "2",
                        "--prefetch",
                        "2",
                        "--lr",
                        "0.01",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // 540 training samples (10 % held out) in batches of 32: 17 steps per epoch.
        assertThat(Files.readAllLines(out.resolve("steps.jsonl"))).hasSize(51);
        assertThat(run.out()).containsPattern("held-out +accuracy 0\\.[6-9]\\d* on 60 samples");
        assertThat(out.resolve("run.json")).content().contains("\"format\" : \"csv\"");
    }

    @Test
    void theCnnTrainsOnGzippedIdxImagesAndOnAnImageFolder() throws IOException {
        Path images = tmp.resolve("train-images-idx3-ubyte.gz");
        Path labels = tmp.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(images, labels, 200, 12);
        CliRun idx =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--data",
                        images.toString(),
                        "--format",
                        "idx",
                        "--steps",
                        "8",
                        "--batch-size",
                        "16",
                        "--out",
                        tmp.resolve("idx-run").toString());
        assertThat(idx.exitCode()).as(idx.err()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("idx-run/steps.jsonl"))).hasSize(8);

        Path folder = tmp.resolve("shapes");
        writeImageFolder(folder, 10);
        CliRun png =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--data",
                        folder.toString(),
                        "--format",
                        "images",
                        "--image-size",
                        "8",
                        "--steps",
                        "3",
                        "--batch-size",
                        "4",
                        "--out",
                        tmp.resolve("png-run").toString());
        assertThat(png.exitCode()).as(png.err()).isZero();
        assertThat(png.out()).contains("Trained cnn: 3 steps");
    }

    @Test
    void malformedOrMismatchedDataIsAUsageErrorNamingTheFileAndPosition() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "a,b,label\n1,2,x\n3,oops,y\n");
        CliRun malformed =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--data",
                        bad.toString(),
                        "--format",
                        "csv",
                        "--out",
                        tmp.resolve("never").toString());
        assertThat(malformed.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(malformed.err()).contains(bad + ": line 3, column 2").contains("'oops'");
        assertThat(tmp.resolve("never")).doesNotExist();

        Path good = Files.writeString(tmp.resolve("good.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        CliRun cnnOnCsv =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--data",
                        good.toString(),
                        "--format",
                        "csv",
                        "--out",
                        tmp.resolve("never").toString());
        assertThat(cnnOnCsv.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(cnnOnCsv.err()).contains("the cnn example takes images");

        CliRun noFormat = CliRun.of("train", "--example", "mlp", "--data", good.toString());
        assertThat(noFormat.err())
                .contains("--format is required with --data; valid: csv, idx, images");
        CliRun prefetchInline = CliRun.of("train", "--example", "mlp", "--prefetch", "2");
        assertThat(prefetchInline.err()).contains("--prefetch needs --workers 1 or more");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    /** Writes MNIST-style gzipped IDX files: a bright band whose position is the class. */
    @Test
    void anImageFolderWithOneClassIsRefusedRatherThanTrainedToAPerfectScore() throws IOException {
        Path images = tmp.resolve("one-class");
        writeImageFolder(images, 6);
        deleteTree(images.resolve("light"));
        Path out = tmp.resolve("one-class-run");

        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--data",
                        images.toString(),
                        "--format",
                        "images",
                        "--steps",
                        "3",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err().strip())
                .startsWith(
                        "trainsight train: --data: "
                                + images
                                + " holds one class ('dark'); a classifier needs two or more");
        assertThat(out).doesNotExist();
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void writeIdx(Path images, Path labels, int count, int size) throws IOException {
        try (DataOutputStream img = gzip(images);
                DataOutputStream lab = gzip(labels)) {
            img.writeInt(0x00000803);
            img.writeInt(count);
            img.writeInt(size);
            img.writeInt(size);
            lab.writeInt(0x00000801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % 2;
                for (int r = 0; r < size; r++) {
                    for (int c = 0; c < size; c++) {
                        boolean on = label == 0 ? r < size / 2 : c < size / 2;
                        img.writeByte(on ? 230 : 20);
                    }
                }
                lab.writeByte(label);
            }
        }
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
        return new DataOutputStream(out);
    }

    private static void writeImageFolder(Path root, int perClass) throws IOException {
        for (String cls : new String[] {"dark", "light"}) {
            Path dir = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
                int grey = cls.equals("dark") ? 30 + i : 220 - i;
                for (int x = 0; x < 10; x++) {
                    for (int y = 0; y < 10; y++) {
                        image.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
                    }
                }
                ImageIO.write(image, "png", dir.resolve(i + ".png").toFile());
            }
        }
    }
}
