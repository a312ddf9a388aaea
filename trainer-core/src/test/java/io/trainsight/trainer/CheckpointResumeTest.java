package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.checkpoint.ResumePoint;
import io.trainsight.trainer.clip.GradientClipping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    @TempDir Path tmp;

    @Test
    void aRunStoppedAtStep150AndResumedEqualsAnUninterruptedOneAtStep300() throws Exception {
        assertResumeIsExact(b -> b, "fp32");
    }

    @Test
    void resumeIsExactWithMixedPrecisionAccumulationAndClipping() throws Exception {
        assertResumeIsExact(
                b ->
                        b.optPrecision(Precision.FP16)
                                .optAccumulate(3)
                                .optClipping(GradientClipping.byNorm(0.5f)),
                "fp16");
    }

    private void assertResumeIsExact(UnaryOperator<TrainingLoopBuilder> options, String name)
            throws Exception {
        try (MlpProblem problem = new MlpProblem(1000)) {
            Path whole = tmp.resolve(name + "-whole");
            RecordingListener wholeSteps = new RecordingListener();
            Map<String, float[]> uninterrupted;
            try (TrainingLoop loop =
                    options.apply(problem.loop(32, true))
                            .optSteps(300)
                            .optCheckpoints(whole, 50, 2)
                            .addListener(wholeSteps)
                            .build()) {
                loop.run();
                uninterrupted = Parameters.of(loop);
            }

            Path interrupted = tmp.resolve(name + "-interrupted");
            try (TrainingLoop loop =
                    options.apply(problem.loop(32, true))
                            .optSteps(150)
                            .optCheckpoints(interrupted, 50, 2)
                            .build()) {
                loop.run();
            }
            RecordingListener resumedSteps = new RecordingListener();
            TrainingResult result;
            Map<String, float[]> resumed;
            try (TrainingLoop loop =
                    options.apply(problem.loop(32, true))
                            .optSteps(300)
                            .optCheckpoints(interrupted, 50, 2)
                            .addListener(resumedSteps)
                            .build()) {
                result = loop.resume(interrupted);
                resumed = Parameters.of(loop);
            }

            assertThat(result.steps()).isEqualTo(300);
            assertThat(result.stepsThisRun()).isEqualTo(150);
            assertThat(resumedSteps.steps.get(0).step()).isEqualTo(151);
            assertThat(resumedSteps.steps)
                    .extracting(StepRecord::loss)
                    .as("the losses of steps 151-300")
                    .containsExactlyElementsOf(
                            wholeSteps.steps.subList(150, 300).stream()
                                    .map(StepRecord::loss)
                                    .toList());
            assertThat(resumed.keySet()).isEqualTo(uninterrupted.keySet());
            for (String parameter : uninterrupted.keySet()) {
                assertThat(resumed.get(parameter))
                        .as("%s at step 300", parameter)
                        .containsExactly(uninterrupted.get(parameter));
            }
            assertThat(Checkpointer.list(whole))
                    .extracting(p -> p.getFileName().toString())
                    .as("the newest 2 are kept, no temporary file is left")
                    .containsExactly("step-00000250.ckpt", "step-00000300.ckpt");
            try (var files = Files.list(whole)) {
                assertThat(files).hasSize(2);
            }
        }
    }

    @Test
    void aDamagedCheckpointIsNamedAndExplained() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            Path dir = tmp.resolve("damaged");
            try (TrainingLoop loop =
                    problem.loop(32, false).optSteps(4).optCheckpoints(dir, 0, 1).build()) {
                loop.run();
            }
            Path file = Checkpointer.latest(dir).orElseThrow();
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            assertResumeFails(
                    problem,
                    dir,
                    "No intact checkpoint in "
                            + dir
                            + " to resume from: step-00000004.ckpt is damaged (it is truncated),"
                            + " renamed to step-00000004.ckpt.corrupt");

            bytes[bytes.length - 20] ^= 0x55;
            Files.write(file, bytes);
            assertResumeFails(problem, dir, "(its checksum does not match its content)");

            Files.writeString(file, "not a checkpoint at all");
            assertResumeFails(problem, dir, "(it is not a trainsight checkpoint");
            assertThat(dir.resolve("step-00000004.ckpt.corrupt-3"))
                    .as("each damaged file is kept aside, none deleted")
                    .hasContent("not a checkpoint at all");
            assertThat(dir.resolve("step-00000004.ckpt.corrupt")).exists();
            assertThat(dir.resolve("step-00000004.ckpt.corrupt-2")).exists();

            Path empty = Files.createDirectories(tmp.resolve("empty"));
            assertResumeFails(problem, empty, "No checkpoint (step-*.ckpt) in " + empty);
        }
    }

    @Test
    void aDamagedNewestCheckpointIsSetAsideAndTheRunResumesExactlyFromTheNewestIntactOne()
            throws Exception {
        try (MlpProblem problem = new MlpProblem(1000)) {
            RecordingListener whole = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, true).optSteps(60).addListener(whole).build()) {
                loop.run();
            }
            Path dir = tmp.resolve("fallback");
            try (TrainingLoop loop =
                    problem.loop(32, true).optSteps(40).optCheckpoints(dir, 10, 3).build()) {
                loop.run();
            }
            Path newest = dir.resolve("step-00000040.ckpt");
            byte[] bytes = Files.readAllBytes(newest);
            bytes[bytes.length / 2] ^= 0x10; // one flipped bit
            Files.write(newest, bytes);
            Path older = dir.resolve("step-00000030.ckpt");
            Files.write(older, java.util.Arrays.copyOf(Files.readAllBytes(older), 100));

            RecordingListener resumed = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, true)
                            .optSteps(60)
                            .optCheckpoints(dir, 10, 3)
                            .addListener(resumed)
                            .build()) {
                assertThat(loop.resume(dir).steps()).isEqualTo(60);
            }
            assertThat(resumed.steps.get(0).step()).as("resumed after step 20").isEqualTo(21);
            assertThat(resumed.steps)
                    .extracting(StepRecord::loss)
                    .containsExactlyElementsOf(
                            whole.steps.subList(20, 60).stream().map(StepRecord::loss).toList());
            assertThat(dir.resolve("step-00000040.ckpt.corrupt")).hasBinaryContent(bytes);
            assertThat(dir.resolve("step-00000030.ckpt.corrupt")).hasSize(100);
            assertThat(Checkpointer.list(dir))
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "step-00000040.ckpt", "step-00000050.ckpt", "step-00000060.ckpt");
        }
    }

    @Test
    void newestIntactSaysInOneLineWhichCheckpointsWerePassedOverAndWhy() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            Path dir = tmp.resolve("choice");
            try (TrainingLoop loop =
                    problem.loop(32, false).optSteps(6).optCheckpoints(dir, 3, 2).build()) {
                loop.run();
            }
            Path newest = dir.resolve("step-00000006.ckpt");
            byte[] bytes = Files.readAllBytes(newest);
            Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 1));

            ResumePoint point = Checkpointer.newestIntact(dir).orElseThrow();
            assertThat(point.file()).isEqualTo(dir.resolve("step-00000003.ckpt"));
            assertThat(point.state().step()).isEqualTo(3);
            assertThat(point.describe())
                    .isEqualTo(
                            "step-00000006.ckpt is damaged (it is truncated), renamed to"
                                    + " step-00000006.ckpt.corrupt; resuming from"
                                    + " step-00000003.ckpt (step 3)");
            assertThat(Checkpointer.newestIntact(dir).orElseThrow().describe())
                    .as("once set aside, it is not met again")
                    .isNull();
        }
    }

    @Test
    void resumingWithAnotherPrecisionIsRefused() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            Path dir = tmp.resolve("fp32");
            try (TrainingLoop loop =
                    problem.loop(32, false).optSteps(2).optCheckpoints(dir, 0, 1).build()) {
                loop.run();
            }
            try (TrainingLoop loop =
                    problem.loop(32, false).optPrecision(Precision.FP16).optSteps(4).build()) {
                assertThatThrownBy(() -> loop.resume(dir))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "was written by a fp32 run; resume it with precision fp32, not"
                                        + " fp16");
            }
        }
    }

    private static void assertResumeFails(MlpProblem problem, Path dir, String message) {
        try (TrainingLoop loop = problem.loop(32, false).optSteps(8).build()) {
            assertThatThrownBy(() -> loop.resume(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(message);
        }
    }

    @Test
    void checkpointsAreWrittenOnScheduleAndAtTheEnd() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            Path dir = tmp.resolve("schedule");
            TrainingResult result;
            try (TrainingLoop loop =
                    problem.loop(32, false).optSteps(25).optCheckpoints(dir, 10, 5).build()) {
                result = loop.run();
            }
            assertThat(Checkpointer.list(dir))
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "step-00000010.ckpt", "step-00000020.ckpt", "step-00000025.ckpt");
            assertThat(result.lastCheckpoint()).isEqualTo(dir.resolve("step-00000025.ckpt"));
            assertThat(List.of(result.stopReason())).containsExactly(StopReason.BUDGET);
        }
    }
}
