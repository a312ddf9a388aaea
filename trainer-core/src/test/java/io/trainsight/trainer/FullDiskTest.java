package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while a checkpoint is written: Linux's {@code /dev/full} answers every write
 * with ENOSPC, and the checkpoint's temporary file is made to point at it.
 */
class FullDiskTest {

    @TempDir Path tmp;

    @Test
    void aFullDiskNamesTheCheckpointItsStepAndTheIntactOneBefore() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "Linux's /dev/full");
        Path dir = Files.createDirectories(tmp.resolve("checkpoints"));
        // the disk fills after the checkpoint of step 2 (whose writing clears stray .tmp files)
        StepListener fill =
                new StepListener() {
                    @Override
                    public void onStep(StepRecord record) {
                        if (record.step() == 3) {
                            try {
                                Files.createSymbolicLink(
                                        dir.resolve("step-00000004.ckpt.tmp"),
                                        Path.of("/dev/full"));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                };
        try (MlpProblem problem = new MlpProblem(256);
                TrainingLoop loop =
                        problem.loop(32, false)
                                .optSteps(6)
                                .optCheckpoints(dir, 2, 3)
                                .addListener(fill)
                                .build()) {
            assertThatThrownBy(loop::run)
                    .isInstanceOf(IOException.class)
                    .hasMessage(
                            "Cannot write the checkpoint of step 4 to "
                                    + dir.resolve("step-00000004.ckpt")
                                    + " (No space left on device); the last checkpoint, "
                                    + dir.resolve("step-00000002.ckpt")
                                    + ", is intact");
        }
        assertThat(Checkpointer.verify(dir.resolve("step-00000002.ckpt")).step()).isEqualTo(2);
        assertThat(Checkpointer.list(dir)).containsExactly(dir.resolve("step-00000002.ckpt"));
    }
}
