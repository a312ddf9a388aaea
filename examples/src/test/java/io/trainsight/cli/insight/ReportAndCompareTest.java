package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.cli.CliRun;
import io.trainsight.cli.TrainsightCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainsight report} and {@code trainsight compare} on runs of the io-bound example. */
class ReportAndCompareTest {

    @TempDir static Path tmp;
    private static Path slow;
    private static Path fast;

    @BeforeAll
    static void twoRuns() {
        slow = tmp.resolve("slow");
        fast = tmp.resolve("fast");
        assertThat(
                        CliRun.of(
                                        "train",
                                        "--example",
                                        "io-bound",
                                        "--steps",
                                        "30",
                                        "--workers",
                                        "0",
                                        "--out",
                                        slow.toString())
                                .exitCode())
                .isZero();
        assertThat(
                        CliRun.of(
                                        "train",
                                        "--example",
                                        "io-bound",
                                        "--steps",
                                        // enough steps that filling the 8 workers' pipeline at the
                                        // start is a small share of the run
                                        "120",
                                        "--workers",
                                        "8",
                                        "--out",
                                        fast.toString())
                                .exitCode())
                .isZero();
    }

    @Test
    void reportRebuildsThePageAndPrintsTheTableFromTheFiles() throws IOException {
        Files.delete(slow.resolve("report.html"));
        CliRun report = CliRun.of("report", slow.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(slow.resolve("report.html")).isNotEmptyFile();
        assertThat(report.out())
                .contains("Step-vs-GPU insight (source: host (no GPU)")
                .contains("highly input-bound on host");
    }

    @Test
    void compareShowsTheChangeAndFlagsRegressions() throws IOException {
        // Eight workers leave at most a few percent of waiting, which a busy 2-core machine can
        // push past the "moderately" line (5 %), never to "highly": the finding is gone or milder.
        var fastFinding = RunFiles.findings(fast, "input-bound");
        assertThat(fastFinding)
                .noneMatch(finding -> finding.get("severity").asText().equals("warning"));
        boolean gone = fastFinding.isEmpty();

        CliRun better = CliRun.of("compare", slow.toString(), fast.toString());
        assertThat(better.exitCode()).as(better.err()).isZero();
        assertThat(better.out())
                .contains("Comparing A = " + slow + " with B = " + fast)
                .containsPattern("data-wait share .* better")
                .contains("Regressions (worse by 10 % or more, or new warnings): ")
                // contention and stalls depend on what else the machine runs meanwhile
                .doesNotContain("new finding: input-bound");
        if (gone) {
            assertThat(better.out()).contains("findings gone in B: input-bound on host");
        }

        CliRun worse = CliRun.of("compare", fast.toString(), slow.toString());
        assertThat(worse.exitCode()).as("a regression is not an error").isZero();
        assertThat(worse.out()).contains("REGRESSION");
        if (gone) {
            assertThat(worse.out()).contains("new finding: input-bound on host");
        }
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        CliRun missing = CliRun.of("report", tmp.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).contains("RUN_DIR: ").contains("nowhere is not a directory");

        Path notARun = Files.createDirectories(tmp.resolve("empty"));
        CliRun compare = CliRun.of("compare", notARun.toString(), fast.toString());
        assertThat(compare.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(compare.err().strip().lines()).hasSize(1);
        assertThat(compare.err()).contains("RUN_A " + notARun + ": no summary.json");

        Files.writeString(notARun.resolve("summary.json"), "{\"steps\": 3}");
        CliRun wrong = CliRun.of("compare", fast.toString(), notARun.toString());
        assertThat(wrong.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(wrong.err()).contains("is not a trainsight summary");

        Files.writeString(notARun.resolve("summary.json"), "{\"format\": ");
        CliRun broken = CliRun.of("compare", fast.toString(), notARun.toString());
        assertThat(broken.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(broken.err().strip().lines()).hasSize(1);
        assertThat(broken.err())
                .contains("summary.json: cannot be read as JSON (Unexpected end-of-input")
                .contains(" at line 1, column ")
                .doesNotContain("REDACTED")
                .doesNotContain("Source");
    }
}
