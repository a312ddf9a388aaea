package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.cli.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two classic problems, reproduced by the example jobs through the command line, with known
 * answers: an input-bound job is flagged without loader workers and no longer highly with eight;
 * memory that grows step over step raises the OOM risk before it reaches the limit.
 */
class ExampleDiagnosisTest {

    @TempDir Path tmp;

    @Test
    void ioBoundWithoutWorkersIsFlaggedInputBound() throws IOException {
        Path out = tmp.resolve("io0");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "io-bound",
                        "--steps",
                        "40",
                        "--workers",
                        "0",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> inputBound = RunFiles.findings(out, "input-bound");
        assertThat(inputBound).isNotEmpty();
        JsonNode finding = inputBound.get(0);
        assertThat(finding.get("title").asText()).isEqualTo("highly input-bound");
        assertThat(finding.at("/evidence/data_wait_share").asDouble()).isGreaterThan(0.2);
        if (finding.at("/evidence/input_pipeline").asText().equals("idle cpu during waits")) {
            // the loader sleeps on the training thread with the cores free: add workers (on a
            // machine busy with other work the advice says the cores are taken instead)
            assertThat(run.out())
                    .contains("try: Feed the steps faster: more loader workers (--workers)");
        }
        assertThat(RunFiles.summary(out).at("/environment/source").asText()).isEqualTo("host");
        assertThat(run.out())
                .contains("Step-vs-GPU insight (source: host (no GPU): process CPU of")
                .containsPattern("time split +data wait \\d+\\.\\d %")
                .contains("highly input-bound on host")
                .containsPattern("try: (Feed the steps faster|The cores are full|Other processes)")
                .contains(out.resolve("report.html").toString());
    }

    @Test
    void ioBoundWithEightWorkersIsNotFlagged() throws IOException {
        Path out = tmp.resolve("io8");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "io-bound",
                        "--steps",
                        "40",
                        "--workers",
                        "8",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // Eight workers hide the load: at most a few percent of waiting is left, which a machine
        // busy with other work can push past the "moderately" line (5 %), never to "highly".
        assertThat(RunFiles.findings(out, "input-bound"))
                .noneMatch(finding -> finding.get("severity").asText().equals("warning"));
        assertThat(RunFiles.summary(out).at("/time_split/data_wait_share").asDouble())
                .isLessThan(0.2);
        assertThat(run.out()).doesNotContain("highly input-bound");
    }

    @Test
    void theMainJobWithItsDefaultsIsAHealthyRun() throws IOException {
        Path out = tmp.resolve("main");
        CliRun run =
                CliRun.of("train", "--example", "mlp", "--steps", "200", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // What the job itself could cause; contention and stalls depend on what else the machine
        // runs, and are left to the machine.
        for (String kind :
                List.of("input-bound", "low-utilization", "oom-risk", "gc", "ndarray-leak")) {
            assertThat(RunFiles.findings(out, kind)).as(kind).isEmpty();
        }
        assertThat(RunFiles.summary(out).at("/verdict/input_bound").asText()).isEqualTo("no");
    }

    @Test
    void memoryGrowingStepOverStepRaisesTheOomRiskBeforeTheLimit() throws IOException {
        Path out = tmp.resolve("oom");
        long limit = RunFiles.residentBytes() + (600L << 20);
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "oom-risk",
                        "--steps",
                        "200",
                        "--memory-limit",
                        Long.toString(limit),
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> risks = RunFiles.findings(out, "oom-risk");
        assertThat(risks).isNotEmpty();
        JsonNode risk = risks.get(0);
        assertThat(risk.get("severity").asText()).isEqualTo("critical");
        long raisedAt =
                risk.at("/evidence/raised_at_step").isMissingNode()
                        ? risk.at("/evidence/first_raised_live_at_step").asLong()
                        : risk.at("/evidence/raised_at_step").asLong();
        assertThat(raisedAt).as("raised live").isPositive();
        long memoryThen =
                RunFiles.steps(out).stream()
                        .filter(step -> step.get("step").asLong() == raisedAt)
                        .findFirst()
                        .orElseThrow()
                        .at("/devices/0/mem_peak_bytes")
                        .asLong();
        assertThat(memoryThen).as("resident memory when raised").isLessThan(limit);
        assertThat(limit - memoryThen).as("well before the limit").isGreaterThan(200L << 20);
        assertThat(run.out()).contains("OOM risk");
    }

    @Test
    void withoutTheMonitorTheReportHasTheStepTimingOnly() throws IOException {
        Path out = tmp.resolve("bare");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--steps",
                        "30",
                        "--no-monitor",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RunFiles.steps(out)).noneMatch(step -> step.has("devices"));
        assertThat(out.resolve("report.html")).isNotEmptyFile();
        assertThat(RunFiles.summary(out).at("/environment/source").asText()).isEqualTo("none");
        assertThat(RunFiles.summary(out).at("/totals/steps").asLong()).isEqualTo(30);
        assertThat(run.out()).contains("source: none (no monitor): step timing only");
    }
}
