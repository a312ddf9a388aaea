package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.testing.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings about the JVM and the host, end to end in child JVMs with known answers: heavy heap
 * churn under a small heap is GC pressure and the plain job under the same heap is not; a run while
 * two busy processes take the cores is contention, not low utilisation; leaked NDArrays are found
 * first and the memory trend follows. The verdicts are asserted, not timings.
 */
class JvmFindingsIT {

    private static final Path JAR = Paths.get("target", "trainsight.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void heapChurnUnderASmallHeapIsGcPressure() throws Exception {
        Path out = tmp.resolve("gc");
        Commands.Result run = train("-Xmx256m", "gc-pressure", "120", out);
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> gc = findings(out, "gc");
        assertThat(gc).isNotEmpty();
        assertThat(gc.get(0).at("/evidence/gc_pause_share").asDouble()).isGreaterThan(0.10);
        assertThat(gc.get(0).at("/severity").asText()).isEqualTo("warning");
        assertThat(run.out()).contains("GC pressure on jvm");
    }

    @Test
    void thePlainJobUnderTheSameHeapHasNoGcFinding() throws Exception {
        Path out = tmp.resolve("plain");
        Commands.Result run = train("-Xmx256m", "mlp", "300", out);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(findings(out, "gc")).isEmpty();
        // Below the pressure line (gc-share, 10 %): one young collection of a busy machine can
        // take several percent of a 300-step run of 1 ms steps, a churning job takes far more.
        assertThat(summary(out).at("/jvm_and_host/gc_pause_share").asDouble()).isLessThan(0.10);
    }

    @Test
    void aRunWhileTwoBusyProcessesTakeTheCoresIsContentionNotLowUtilization() throws Exception {
        List<Process> busy = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                busy.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            Path out = tmp.resolve("busy");
            Commands.Result run = train("-Xmx512m", "mlp", "300", out);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(findings(out, "contention")).isNotEmpty();
            assertThat(findings(out, "low-utilization")).isEmpty();
            JsonNode contention = findings(out, "contention").get(0);
            assertThat(contention.at("/evidence/other_processes_cpu_percent").asDouble())
                    .as("the two spinning neighbours")
                    .isGreaterThan(30);
        } finally {
            for (Process process : busy) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void leakedArraysAreFoundAndTheMemoryTrendFollows() throws Exception {
        Path out = tmp.resolve("leak");
        // 2 MiB more resident every step (batch 512), 600 MiB over the run: against 700 MiB the
        // trend reaches the limit before the run ends, whatever the JVM's resident memory at start
        Commands.Result run =
                train(
                        "-Xmx512m",
                        "leak",
                        "300",
                        out,
                        "--batch-size",
                        "512",
                        "--memory-limit",
                        "700m");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> leaks = findings(out, "ndarray-leak");
        assertThat(leaks).isNotEmpty();
        List<JsonNode> oom = findings(out, "oom-risk");
        assertThat(oom).as("the memory trend follows the arrays").isNotEmpty();
        assertThat(raisedAt(leaks.get(0))).isLessThanOrEqualTo(raisedAt(oom.get(0)));
    }

    private static long raisedAt(JsonNode finding) {
        JsonNode live = finding.at("/evidence/first_raised_live_at_step");
        return live.isMissingNode()
                ? finding.at("/evidence/raised_at_step").asLong()
                : live.asLong();
    }

    private Commands.Result train(
            String heap, String example, String steps, Path out, String... more)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.addAll(
                List.of(
                        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                        heap,
                        "-jar",
                        JAR.toString(),
                        "train",
                        "--example",
                        example,
                        "--steps",
                        steps,
                        "--out",
                        out.toString()));
        command.addAll(List.of(more));
        return Commands.run(command, null, Duration.ofMinutes(10));
    }

    private static JsonNode summary(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve("summary.json").toFile());
    }

    private static List<JsonNode> findings(Path runDir, String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode finding : summary(runDir).get("findings")) {
            if (finding.get("kind").asText().equals(kind)) {
                found.add(finding);
            }
        }
        return found;
    }
}
