package io.trainsight.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.internal.correlate.OneGpuProbe;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunInsight} as a library user meets it: its builder, its lifecycle, its honesty. */
class RunInsightTest {

    @TempDir Path dir;

    private static StepRecord step(long step, long start) {
        long end = start + 2_000_000;
        return new StepRecord(
                step, 1, start, end, 100_000, 1_000_000, 500_000, 300_000, 1f, 8, 1, 1f, Float.NaN,
                false);
    }

    @Test
    void aNewNestedRunDirectoryIsCreatedByBuild() {
        Path nested = dir.resolve("runs/a/b");
        try (RunInsight insight =
                RunInsight.builder().setRunDirectory(nested).optMonitoring(false).build()) {
            assertThat(nested).isDirectory();
            assertThat(insight.runDirectory()).isEqualTo(nested);
        }
    }

    @Test
    void aMonitorTheUserForgotToStartIsStartedWhenTheRunBegins() throws Exception {
        OneGpuProbe probe =
                new OneGpuProbe()
                        .set(GpuMetric.UTILIZATION_GPU, 90)
                        .set(GpuMetric.MEMORY_USED, 1L << 30)
                        .set(GpuMetric.MEMORY_TOTAL, 8L << 30);
        try (GpuMonitor monitor =
                        GpuMonitor.builder()
                                .addProbe(probe)
                                .optInterval(Duration.ofMillis(10))
                                .build();
                RunInsight insight =
                        RunInsight.builder().setRunDirectory(dir).optMonitor(monitor).build()) {
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));

            assertThat(monitor.isRunning()).isTrue();
            assertThat(monitor.awaitSamples(2, Duration.ofSeconds(30))).isTrue();
            for (long s = 1; s <= 10; s++) {
                insight.onStep(step(s, System.nanoTime()));
            }
            insight.finish(StopReason.BUDGET);
            assertThat(monitor.isRunning()).as("the user's monitor is theirs to stop").isTrue();
        }
        JsonNode summary = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));
        assertThat(summary.at("/verdict/samples_joined").asBoolean()).isTrue();
        assertThat(summary.at("/devices/0/util_mean_percent").isNumber()).isTrue();
    }

    @Test
    void aStepBeforeTheRunBeginsIsRefusedAndTheRunCanStillBeginAfterIt() throws Exception {
        try (RunInsight insight =
                RunInsight.builder().setRunDirectory(dir).optMonitoring(false).build()) {
            assertThatThrownBy(() -> insight.onStep(step(1, System.nanoTime())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("onTrainingBegin must be called before the first step");
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));
            insight.onStep(step(1, System.nanoTime()));
            insight.finish(StopReason.BUDGET);
        }
        assertThat(Files.readAllLines(dir.resolve("steps.jsonl"))).hasSize(1);
    }

    @Test
    void withoutSamplesTheReportNeverSaysAllClear() {
        try (RunInsight insight =
                RunInsight.builder().setRunDirectory(dir).optMonitoring(false).build()) {
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));
            for (long s = 1; s <= 10; s++) {
                insight.onStep(step(s, System.nanoTime()));
            }
            insight.finish(StopReason.BUDGET);
            StringWriter table = new StringWriter();
            insight.printTable(new PrintWriter(table));
            assertThat(table.toString())
                    .contains(
                            "no monitor ran, so utilisation, memory and throttling were not judged")
                    .doesNotContain("none: not input-bound");
            assertThat(insight.report().run().stopReason()).isEqualTo("BUDGET");
        }
    }

    @Test
    void theBuilderIsCopiedAtBuildAndRefusesContradictions() {
        RunInsight.Builder builder =
                RunInsight.builder().setRunDirectory(dir).optMonitoring(false).optRunName("first");
        try (RunInsight insight = builder.build()) {
            builder.optRunName("changed later").setRunDirectory(dir.resolve("elsewhere"));
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));
            insight.onStep(step(1, System.nanoTime()));
            insight.finish(StopReason.BUDGET);
            assertThat(insight.report().run().name()).isEqualTo("first");
            assertThat(insight.runDirectory()).isEqualTo(dir);
        }
        assertThatThrownBy(
                        () ->
                                RunInsight.builder()
                                        .setRunDirectory(dir)
                                        .optMonitoring(false)
                                        .optSampleInterval(Duration.ofMillis(20))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("optMonitoring(false) contradicts optSampleInterval");
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(new OneGpuProbe()).build()) {
            assertThatThrownBy(
                            () ->
                                    RunInsight.builder()
                                            .setRunDirectory(dir)
                                            .optMonitor(monitor)
                                            .optSampleInterval(Duration.ofMillis(20))
                                            .build())
                    .hasMessageStartingWith("optSampleInterval contradicts optMonitor");
        }
    }

    @Test
    void theLoopsPlanNameAndSettingsReachTheSummaryAndBuilderSettingsWin() throws Exception {
        try (RunInsight insight =
                RunInsight.builder()
                        .setRunDirectory(dir)
                        .optMonitoring(false)
                        .optConfiguration(Map.of("note", "from the builder"))
                        .build()) {
            insight.onTrainingBegin(
                    new RunStart(
                            System.nanoTime(),
                            0,
                            10,
                            "resnet",
                            List.of(),
                            Map.of("batch_size", 64),
                            Map.of("engine", "PyTorch 2.7.1"),
                            null));
            insight.onStep(step(1, System.nanoTime()));
            insight.finish(StopReason.BUDGET);
        }
        JsonNode summary = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));
        assertThat(summary.at("/run/name").asText()).isEqualTo("resnet");
        assertThat(summary.at("/run/planned_steps").asLong()).isEqualTo(10);
        assertThat(summary.at("/configuration/batch_size").asInt()).isEqualTo(64);
        assertThat(summary.at("/configuration/note").asText()).isEqualTo("from the builder");
        assertThat(summary.at("/environment/engine").asText()).isEqualTo("PyTorch 2.7.1");
        assertThat(Files.readAllLines(dir.resolve("steps.jsonl"))).hasSize(1);
    }

    @Test
    void closingARunThatNeverFinishedWritesItsReportAsIncomplete() throws Exception {
        try (RunInsight insight =
                RunInsight.builder().setRunDirectory(dir).optMonitoring(false).build()) {
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));
            insight.onStep(step(1, System.nanoTime()));
        }
        assertThat(
                        SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME))
                                .at("/run/stop_reason")
                                .asText())
                .isEqualTo("INCOMPLETE");
    }

    @Test
    void beforeACheckpointEveryStepItCoversIsInTheStepLog() throws Exception {
        try (RunInsight insight =
                RunInsight.builder().setRunDirectory(dir).optMonitoring(false).build()) {
            insight.onTrainingBegin(RunStart.at(System.nanoTime()));
            for (long s = 1; s <= 200; s++) {
                insight.onStep(step(s, System.nanoTime()));
            }
            insight.beforeCheckpoint(200);
            assertThat(Files.readAllLines(dir.resolve("steps.jsonl"))).hasSize(200);
        }
    }

    @Test
    void aFailureOnTheInsightsThreadReachesTheLoopAndTheRunEndsFailed() throws Exception {
        RunInsight insight =
                RunInsight.builder()
                        .setRunDirectory(dir)
                        .optMonitoring(false)
                        .addFindingListener(
                                finding -> {
                                    throw new IllegalStateException("the listener broke");
                                })
                        .build();
        insight.onTrainingBegin(RunStart.at(System.nanoTime()));
        // steps that wait for data most of their time raise a live input-bound finding, whose
        // listener throws on the insight's thread; the loop gets it at a later step, as a loop
        // gets any listener's failure, and ends the run as failed
        RuntimeException failure = null;
        try {
            for (long s = 1; s <= 1000 && failure == null; s++) {
                insight.onStep(waitingStep(s));
                insight.beforeCheckpoint(s);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).hasMessage("the listener broke");
        insight.recordFailure(failure);
        insight.finish(io.trainsight.insight.timeline.StopReason.FAILED);
        JsonNode run = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME)).at("/run");
        assertThat(run.at("/stop_reason").asText()).isEqualTo("FAILED");
        assertThat(run.at("/failure").asText()).isEqualTo("the listener broke");
    }

    private static io.trainsight.insight.timeline.StepRecord waitingStep(long step) {
        return Steps.record(step, 10, 8);
    }
}
