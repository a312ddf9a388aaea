package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutOfMemoryTest {

    @TempDir Path tmp;

    @Test
    void anEngineOutOfMemoryEndsTheRunWithOneMessageACheckpointAndAFlushedLog() throws Exception {
        FailingAllocation greedy = new FailingAllocation();
        Path checkpoints = tmp.resolve("checkpoints");
        Path log = tmp.resolve("steps.jsonl");
        RecordingListener events = new RecordingListener();
        try (MlpProblem problem = new MlpProblem(512);
                StepLogWriter stepLog = new StepLogWriter(log);
                TrainingLoop loop =
                        problem.loop(
                                        new SequentialBlock()
                                                .add(greedy.block())
                                                .add(Linear.builder().setUnits(4).build()),
                                        16,
                                        false)
                                .optSteps(20)
                                .optCheckpoints(checkpoints, 0, 1)
                                .addListener(stepLog)
                                .addListener(events)
                                .build()) {
            greedy.failAfter(7);

            TrainingOutOfMemoryException error =
                    catchThrowableOfType(TrainingOutOfMemoryException.class, loop::run);

            assertThat(error.getStep()).isEqualTo(7);
            assertThat(error.getBatchSize()).isEqualTo(16);
            assertThat(error.getMessage())
                    .startsWith(
                            "Out of memory at step 7 (batch size 16, 1 micro-batch(es) per step): ")
                    .contains("can't allocate memory")
                    .contains(
                            "the last good step, 6, is saved in "
                                    + checkpoints.resolve("step-00000006.ckpt"))
                    .contains("Try mixed precision (fp16)")
                    .doesNotContain("\n");
            assertThat(Checkpointer.list(checkpoints))
                    .containsExactly(checkpoints.resolve("step-00000006.ckpt"));
            assertThat(Files.readAllLines(log))
                    .as("the step log holds the 6 good steps")
                    .hasSize(6);
            assertThat(events.result.stopReason()).isEqualTo(StopReason.OUT_OF_MEMORY);
            assertThat(events.result.steps()).isEqualTo(6);
        }
    }
}
