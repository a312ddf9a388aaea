package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads}, {@code --memory-format}, {@code --workers auto} and {@code --test-data}: what
 * they accept and refuse.
 */
class EngineOptionsTest {

    @TempDir Path tmp;

    @Test
    void autoWorkersGatherSmallBatchesInlineConvertIdxImagesAheadAndDecodeOnHalfTheCores() {
        assertThat(LoaderOptions.autoWorkers(2, null)).isZero();
        assertThat(LoaderOptions.autoWorkers(8, "csv")).isZero();
        assertThat(LoaderOptions.autoWorkers(2, "idx")).isEqualTo(1);
        assertThat(LoaderOptions.autoWorkers(8, "idx")).isEqualTo(1);
        assertThat(LoaderOptions.autoWorkers(1, "idx")).isZero();
        assertThat(LoaderOptions.autoWorkers(8, "images")).isEqualTo(4);
        assertThat(LoaderOptions.autoWorkers(2, "images")).isEqualTo(1);
        assertThat(LoaderOptions.autoWorkers(1, "images")).isZero();
    }

    @Test
    void pinnedThreadsAreUsedAndSaidSo() {
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--steps",
                        "3",
                        "--threads",
                        "1",
                        "--no-monitor",
                        "--out",
                        tmp.resolve("run").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(tmp.resolve("run").resolve("summary.json"))
                .content()
                .contains("\"engine_threads\" : 1", "\"loader_workers\" : 0", "\"mkl\" : \"");
    }

    @Test
    void theCnnGoesChannelsLastByDefaultAndAsLoadedWhenAsked() {
        for (String format : new String[] {"auto", "contiguous"}) {
            Path dir = tmp.resolve(format);
            CliRun run =
                    CliRun.of(
                            "train",
                            "--example",
                            "cnn",
                            "--steps",
                            "3",
                            "--memory-format",
                            format,
                            "--no-monitor",
                            "--out",
                            dir.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(dir.resolve("summary.json"))
                    .content()
                    .contains(
                            format.equals("auto")
                                    ? "\"memory_format\" : \"channels-last\""
                                    : "\"memory_format\" : \"contiguous\"");
        }
    }

    @Test
    void badThreadsWorkersAndTestDataAreUsageErrors() {
        assertUsage(
                "--threads must be a number between 1 and 1024 or auto, got 0", "--threads", "0");
        assertUsage(
                "--threads must be a number between 1 and 1024 or auto, got many",
                "--threads",
                "many");
        assertUsage(
                "--workers must be a number between 0 and 256 or auto, got -1", "--workers", "-1");
        assertUsage(
                "--memory-format: 'nhwc' is not a memory format; valid: auto, channels-last,"
                        + " contiguous",
                "--memory-format",
                "nhwc");
        assertUsage(
                "--test-data needs --data PATH (the training set)", "--test-data", tmp.toString());
    }

    @Test
    void aTestSetExcludesHoldingPartOfTheDataOut() {
        assertUsage(
                "--held-out and --test-data exclude each other",
                "--data",
                tmp.toString(),
                "--format",
                "idx",
                "--test-data",
                tmp.toString(),
                "--held-out",
                "0.2");
    }

    private void assertUsage(String message, String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "train";
        args[1] = "--example";
        args[2] = "mlp";
        args[3] = "--steps";
        args[4] = "1";
        args[5] = "--no-monitor";
        System.arraycopy(options, 0, args, 6, options.length);
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
