package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.trainsight.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cnn on the real Fashion-MNIST files of Debian's {@code dataset-fashion-mnist} package (60,000
 * training and 10,000 test images), scored on the official test set. Skipped, saying so, where the
 * package is not installed ({@code .ci/run} installs it).
 */
class FashionMnistTest {

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir Path tmp;

    @Test
    void theCnnLearnsFashionMnistAndIsScoredOnTheTestSet() {
        assumeTrue(
                Files.isRegularFile(FASHION.resolve("t10k-images-idx3-ubyte.gz")),
                FASHION + " is missing: apt-get install dataset-fashion-mnist (.ci/run does)");
        Path out = tmp.resolve("fashion");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--data",
                        FASHION.toString(),
                        "--format",
                        "idx",
                        "--test-data",
                        FASHION.resolve("t10k-images-idx3-ubyte.gz").toString(),
                        "--batch-size",
                        "64",
                        "--steps",
                        "200",
                        "--no-monitor",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher accuracy =
                Pattern.compile("test set +accuracy (0\\.\\d+) on 10000 samples")
                        .matcher(run.out());
        assertThat(accuracy.find()).as(run.out()).isTrue();
        // Chance is 0.10; 200 steps of 64 images reach about 0.75-0.80.
        assertThat(Double.parseDouble(accuracy.group(1))).isGreaterThan(0.6);
        assertThat(out.resolve("run.json"))
                .content()
                .contains("\"testData\"", "t10k-images-idx3-ubyte.gz");
    }
}
