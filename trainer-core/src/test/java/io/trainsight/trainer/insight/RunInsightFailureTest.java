package io.trainsight.trainer.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.report.SummaryJson;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.trainer.FailingAllocation;
import io.trainsight.trainer.MlpProblem;
import io.trainsight.trainer.TrainingLoop;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that dies still leaves its summary and report, with the out-of-memory as a finding. */
class RunInsightFailureTest {

    @TempDir Path dir;

    @Test
    void anOutOfMemoryLeavesTheReportWithTheFinding() throws Exception {
        FailingAllocation greedy = new FailingAllocation();
        try (MlpProblem problem = new MlpProblem(4096);
                GpuMonitor monitor =
                        GpuMonitor.builder().optInterval(Duration.ofMillis(10)).build();
                StepLogWriter log = new StepLogWriter(dir.resolve(StepLogWriter.FILE_NAME))) {
            RunInsight insight =
                    RunInsight.builder()
                            .setRunDirectory(dir)
                            .optMonitor(monitor)
                            .optPlannedSteps(200)
                            .build();
            log.addColumns(insight.columns());
            try (TrainingLoop loop =
                    problem.loop(
                                    new SequentialBlock()
                                            .add(greedy.block())
                                            .add(Linear.builder().setUnits(4).build()),
                                    16,
                                    false)
                            .optSteps(200)
                            .addListener(log)
                            .addListener(insight)
                            .build()) {
                monitor.start();
                greedy.failAfter(40);

                TrainingOutOfMemoryException error =
                        catchThrowableOfType(TrainingOutOfMemoryException.class, loop::run);

                assertThat(error.getStep()).isEqualTo(40);
            }
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
        assertThat(summary.at("/totals/steps").asLong()).isEqualTo(39);
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        assertThat(dir.resolve("steps.jsonl")).content().hasLineCount(39);
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("steps.jsonl")))
                .allMatch(line -> line.contains(",\"devices\":[{\"device\":\"host\","));
    }
}
