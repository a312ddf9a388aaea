package io.trainsight.insight.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.FindingKind;
import io.trainsight.insight.internal.correlate.OneGpuProbe;
import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.RunReplay;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted run through {@link RunInsight}: a GPU sampled by hand during each step, steps that
 * wait half their time, memory that grows; then the files, the replay and the comparison.
 */
class ReportFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 120;

    @TempDir Path dir;

    private final List<Finding> raised = new ArrayList<>();

    private void run(Path runDir, long waitMicros) throws IOException {
        OneGpuProbe probe = new OneGpuProbe();
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(probe).build();
                RunInsight insight =
                        RunInsight.builder()
                                .setRunDirectory(runDir)
                                .optMonitor(monitor)
                                .optPlannedSteps(STEPS)
                                .optRunName("scripted")
                                .addFindingListener(raised::add)
                                .build()) {
            monitor.sampleNow(); // driven by hand: the insight leaves a monitor with samples idle
            long origin = System.nanoTime();
            insight.onTrainingBegin(RunStart.at(origin));
            for (long step = 1; step <= STEPS; step++) {
                long start = System.nanoTime();
                LockSupport.parkNanos(waitMicros * 1000);
                probe.set(GpuMetric.UTILIZATION_GPU, 20)
                        .set(GpuMetric.MEMORY_USED, (1L << 30) + step * (80L << 20))
                        .set(GpuMetric.MEMORY_TOTAL, 8L << 30)
                        .set(GpuMetric.POWER_USAGE, 250_000)
                        .set(GpuMetric.ENERGY, step * 1000);
                monitor.sampleNow();
                LockSupport.parkNanos(500_000);
                long end = System.nanoTime();
                StepRecord record =
                        new StepRecord(
                                step,
                                1,
                                start,
                                end,
                                end - start - 500_000,
                                200_000,
                                200_000,
                                100_000,
                                1f / step,
                                16,
                                1,
                                1f,
                                Float.NaN,
                                false);
                insight.onStep(record);
            }
            insight.onTrainingEnd(
                    new TrainingResult(
                            STEPS,
                            1,
                            STEPS * 16,
                            origin,
                            System.nanoTime() - origin,
                            STEPS,
                            StopReason.BUDGET,
                            null));
            assertThat(insight.writeError()).isNull();
            StringWriter table = new StringWriter();
            insight.printTable(new PrintWriter(table));
            assertThat(table.toString())
                    .contains("source: GPU through NVML: Scripted GPU (GPU 0)")
                    .contains("gpu0")
                    .contains("highly input-bound on gpu0");
        }
    }

    @Test
    void theRunDirectoryHoldsTheRowsTheSummaryAndThePage() throws IOException {
        run(dir, 1000);

        List<String> lines = Files.readAllLines(dir.resolve("steps.jsonl"));
        assertThat(lines).hasSize(STEPS);
        JsonNode line = JSON.readTree(lines.get(9));
        assertThat(line.get("step").asLong()).isEqualTo(10);
        assertThat(line.get("data_wait_ms").asDouble())
                .as("the step's own fields stay")
                .isPositive();
        JsonNode row = line.get("devices").get(0);
        assertThat(row.get("device").asText()).isEqualTo("gpu0");
        assertThat(row.get("samples").asInt()).isEqualTo(1);
        assertThat(row.get("util_mean").asDouble()).isEqualTo(20.0);
        assertThat(row.get("mem_peak_bytes").asLong()).isEqualTo((1L << 30) + 10 * (80L << 20));

        JsonNode summary = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("BUDGET");
        assertThat(summary.at("/environment/source").asText()).isEqualTo("gpu");
        assertThat(summary.at("/totals/steps").asLong()).isEqualTo(STEPS);
        assertThat(summary.at("/time_split/data_wait_share").asDouble()).isGreaterThan(0.5);
        assertThat(summary.at("/devices/0/power_mean_w").asDouble()).isEqualTo(250.0);
        assertThat(summary.at("/devices/0/energy_j").asDouble()).isPositive();
        assertThat(summary.at("/devices/0/memory_capacity_bytes").asLong()).isEqualTo(8L << 30);
        List<String> kinds = new ArrayList<>();
        summary.get("findings").forEach(f -> kinds.add(f.get("kind").asText()));
        assertThat(kinds).contains("input-bound", "oom-risk");
        assertThat(summary.at("/verdict/input_bound").asText())
                .as("one field answers 'is this run input-bound?'")
                .isEqualTo("highly");
        assertThat(summary.at("/verdict/samples_joined").asBoolean()).isTrue();
        assertThat(summary.at("/verdict/findings/oom-risk").asText()).isEqualTo("critical");
        assertThat(summary.at("/verdict/findings/throttled").asText()).isEqualTo("no");
        assertThat(raised)
                .extracting(Finding::kind)
                .contains(FindingKind.INPUT_BOUND, FindingKind.OOM_RISK);

        String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
        assertThat(html)
                .contains("uPlot")
                .contains("\"findings\":[{\"kind\":")
                .doesNotContain("{{")
                .doesNotContain("<link")
                .as("no resource loaded from elsewhere: the page opens offline")
                .doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:|//)")
                .doesNotContainPattern("fetch\\(\\s*[\"']https?:");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void theReplayGivesTheSameReportFromTheFilesAlone() throws IOException {
        run(dir, 1000);
        JsonNode written = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));

        RunReport replayed = RunReplay.read(dir);
        JsonNode again = JSON.valueToTree(SummaryJson.tree(replayed));

        assertThat(again.get("findings").size()).isEqualTo(written.get("findings").size());
        for (int i = 0; i < written.get("findings").size(); i++) {
            JsonNode a = written.get("findings").get(i);
            JsonNode b = again.get("findings").get(i);
            assertThat(b.get("kind").asText()).isEqualTo(a.get("kind").asText());
            assertThat(b.get("first_step").asLong()).isEqualTo(a.get("first_step").asLong());
            assertThat(b.get("last_step").asLong()).isEqualTo(a.get("last_step").asLong());
        }
        assertThat(again.at("/totals/steps").asLong())
                .isEqualTo(written.at("/totals/steps").asLong());
        for (String figure :
                List.of("gc_pauses", "gc_pause_ms", "stall_steps", "contended_steps")) {
            assertThat(again.at("/jvm_and_host/" + figure).asDouble())
                    .as(figure)
                    .isEqualTo(written.at("/jvm_and_host/" + figure).asDouble());
        }
        assertThat(written.at("/jvm_and_host/gc_pauses").isNumber())
                .as("GC tracked during the run")
                .isTrue();
        assertThat(again.at("/devices/0/memory_peak_bytes").asLong())
                .isEqualTo(written.at("/devices/0/memory_peak_bytes").asLong());
        assertThat(again.at("/time_split/data_wait_share").asDouble())
                .isCloseTo(
                        written.at("/time_split/data_wait_share").asDouble(),
                        org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void theReplayWorksWithoutASummaryAndRefusesAnEmptyDirectory() throws IOException {
        run(dir, 1000);
        Files.delete(dir.resolve(SummaryJson.FILE_NAME));
        RunReport replayed = RunReplay.read(dir);
        assertThat(replayed.source()).isEqualTo(RunReport.GPU);
        assertThat(replayed.findings()).extracting(Finding::kind).contains(FindingKind.INPUT_BOUND);
        assertThat(replayed.run().stopReason()).startsWith("UNKNOWN");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> RunReplay.read(empty))
                .hasMessageContaining("is not a trainsight run directory (no steps.jsonl)");
    }

    @Test
    void theComparisonFlagsASlowerRunAndANewFinding() throws IOException {
        run(dir, 1000);
        JsonNode a = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));
        ObjectNode b = a.deepCopy();
        ((ObjectNode) b.get("totals"))
                .put("mean_step_ms", a.at("/totals/mean_step_ms").asDouble() * 1.5);
        ((ObjectNode) b.get("totals"))
                .put("samples_per_s", a.at("/totals/samples_per_s").asDouble() / 1.5);
        ObjectNode extra =
                JSON.createObjectNode()
                        .put("kind", "throttled")
                        .put("device", "gpu0")
                        .put("severity", "warning");
        ((com.fasterxml.jackson.databind.node.ArrayNode) b.get("findings")).add(extra);

        RunComparison same = new RunComparison("a", a, "a", a, 0.1);
        assertThat(same.regressions()).isEmpty();
        RunComparison worse = new RunComparison("a", a, "b", b, 0.1);
        assertThat(worse.regressions())
                .anyMatch(r -> r.startsWith("mean step +50.0 %"))
                .anyMatch(r -> r.startsWith("samples per second -33.3 %"))
                .contains("new finding: throttled on gpu0");
        StringWriter text = new StringWriter();
        worse.print(new PrintWriter(text));
        assertThat(text.toString())
                .contains("REGRESSION")
                .contains("findings new in B: throttled on gpu0");
    }
}
