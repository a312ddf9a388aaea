package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.insight.timeline.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optRunDirectory}: the one switch that gives a loop the whole insight. */
class RunDirectoryTest {

    @TempDir Path dir;

    @Test
    void oneSwitchWritesTheStepLogTheSummaryTheReportAndACheckpoint() throws Exception {
        Path runDir = dir.resolve("runs/new/run");
        TrainingResult result;
        try (MlpProblem problem = new MlpProblem(1024);
                TrainingLoop loop =
                        problem.loop(32, true).optEpochs(2).optRunDirectory(runDir).build()) {
            result = loop.run();
            assertThat(loop.insight()).isPresent();
            assertThat(loop.insight().get().report()).isNotNull();
        }

        assertThat(result.steps()).isEqualTo(64);
        assertThat(Files.readAllLines(runDir.resolve("steps.jsonl")))
                .hasSize(64)
                .allMatch(line -> line.contains("\"devices\":[{\"device\":"));
        assertThat(runDir.resolve("report.html")).isNotEmptyFile();
        assertThat(runDir.resolve("checkpoints/step-00000064.ckpt")).isNotEmptyFile();
        JsonNode summary = SummaryJson.read(runDir.resolve(SummaryJson.FILE_NAME));
        assertThat(summary.at("/run/name").asText())
                .as("the run is named after the model")
                .isEqualTo("mlp");
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("BUDGET");
        assertThat(summary.at("/run/planned_steps").asLong())
                .as("the loop tells the insight its length: 2 epochs of 1024/32 batches")
                .isEqualTo(64);
        assertThat(summary.at("/configuration/epochs").asInt()).isEqualTo(2);
        assertThat(summary.at("/configuration/optimizer").asText()).isEqualTo("Adam");
        assertThat(summary.at("/configuration/precision").asText()).isEqualTo("fp32");
        assertThat(summary.at("/configuration/seed").asLong()).isEqualTo(42);
        assertThat(summary.at("/environment/engine").asText()).startsWith("PyTorch");
        assertThat(summary.at("/environment/device").asText()).isEqualTo("cpu()");
        assertThat(summary.at("/environment/advice").asText()).isEqualTo("training-loop");
        assertThat(summary.at("/totals/steps").asLong()).isEqualTo(64);
    }

    @Test
    void aResumedRunContinuesTheStepLogOfItsDirectory() throws Exception {
        Path runDir = dir.resolve("resumed");
        try (MlpProblem problem = new MlpProblem(512)) {
            try (TrainingLoop first =
                    problem.loop(32, false)
                            .optSteps(10)
                            .optRunDirectory(runDir)
                            .optProgressLog(false)
                            .build()) {
                first.run();
            }
            try (TrainingLoop second =
                    problem.loop(32, false)
                            .optSteps(25)
                            .optRunDirectory(runDir)
                            .optProgressLog(false)
                            .build()) {
                second.resume(runDir.resolve("checkpoints"));
            }
        }
        List<String> lines = Files.readAllLines(runDir.resolve("steps.jsonl"));
        assertThat(lines).hasSize(25);
        assertThat(lines.get(10)).startsWith("{\"step\":11,");
        assertThat(
                        SummaryJson.read(runDir.resolve(SummaryJson.FILE_NAME))
                                .at("/totals/steps")
                                .asLong())
                .as("the summary of a resumed run covers the steps since the resume")
                .isEqualTo(15);
    }

    @Test
    void anOutOfMemoryLeavesTheReportWithTheFinding() throws Exception {
        FailingAllocation greedy = new FailingAllocation();
        try (MlpProblem problem = new MlpProblem(4096);
                TrainingLoop loop =
                        problem.loop(
                                        new SequentialBlock()
                                                .add(greedy.block())
                                                .add(Linear.builder().setUnits(4).build()),
                                        16,
                                        false)
                                .optSteps(200)
                                .optRunDirectory(dir)
                                .optInsight(
                                        insight -> insight.optSampleInterval(Duration.ofMillis(10)))
                                .build()) {
            greedy.failAfter(40);

            TrainingOutOfMemoryException error =
                    catchThrowableOfType(TrainingOutOfMemoryException.class, loop::run);

            assertThat(error.getStep()).isEqualTo(40);
        }
        JsonNode summary = SummaryJson.read(dir.resolve(SummaryJson.FILE_NAME));
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("OUT_OF_MEMORY");
        assertThat(summary.at("/run/failed_step").asLong()).isEqualTo(40);
        assertThat(summary.at("/run/failure").asText()).startsWith("Out of memory at step 40");
        JsonNode finding = summary.at("/findings/0");
        assertThat(finding.get("kind").asText()).isEqualTo("out-of-memory");
        assertThat(finding.get("severity").asText()).isEqualTo("critical");
        assertThat(finding.get("first_step").asLong()).isEqualTo(40);
        assertThat(finding.at("/evidence/message").asText()).contains("can't allocate memory");
        assertThat(finding.at("/evidence/memory_last_bytes").asLong()).isPositive();
        assertThat(finding.get("advice").asText())
                .as("a library run's advice names the builder methods, not CLI options")
                .contains("optPrecision(Precision.FP16)")
                .doesNotContain("--");
        assertThat(summary.at("/totals/steps").asLong()).isEqualTo(39);
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        assertThat(dir.resolve("steps.jsonl")).content().hasLineCount(39);
        assertThat(Files.readAllLines(dir.resolve("steps.jsonl")))
                .allMatch(line -> line.contains(",\"devices\":[{\"device\":\"host\","));
    }
}
