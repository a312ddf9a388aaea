package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrainingLoop#requestStop()}: the loop ends after the step in flight, saves it, says {@link
 * StopReason#INTERRUPTED}, and the run resumes exactly.
 */
class StopRequestTest {

    @TempDir Path tmp;

    @Test
    void aStopFromAnotherThreadEndsAfterTheStepInFlightSavesItAndResumesExactly() throws Exception {
        try (MlpProblem problem = new MlpProblem(1000)) {
            RecordingListener whole = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, true).optSteps(100).addListener(whole).build()) {
                loop.run();
            }

            Path dir = tmp.resolve("stopped");
            AtomicReference<TrainingLoop> target = new AtomicReference<>();
            CountDownLatch atStep40 = new CountDownLatch(1);
            CountDownLatch stopAsked = new CountDownLatch(1);
            Thread stopper =
                    new Thread(
                            () -> {
                                try {
                                    atStep40.await();
                                    target.get().requestStop();
                                    target.get().requestStop(); // a second request changes nothing
                                    stopAsked.countDown();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            StepListener pause =
                    new StepListener() {
                        @Override
                        public void onStep(StepRecord record) {
                            if (record.step() == 40) {
                                atStep40.countDown();
                                await(stopAsked);
                            }
                        }
                    };
            RecordingListener first = new RecordingListener();
            TrainingResult result;
            // checkpoints "only at the end": the stop must still leave one
            try (TrainingLoop loop =
                    problem.loop(32, true)
                            .optSteps(100)
                            .optCheckpoints(dir, 0, 3)
                            .addListener(first)
                            .addListener(pause)
                            .build()) {
                target.set(loop);
                stopper.start();
                result = loop.run();
            }
            stopper.join();

            assertThat(result.stopReason()).isEqualTo(StopReason.INTERRUPTED);
            assertThat(result.completed()).isFalse();
            assertThat(result.steps()).isEqualTo(40);
            assertThat(first.steps).hasSize(40);
            assertThat(first.result).isEqualTo(result);
            assertThat(result.lastCheckpoint()).isEqualTo(dir.resolve("step-00000040.ckpt"));
            assertThat(Checkpointer.list(dir)).containsExactly(result.lastCheckpoint());

            RecordingListener resumed = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, true)
                            .optSteps(100)
                            .optCheckpoints(dir, 0, 3)
                            .addListener(resumed)
                            .build()) {
                assertThat(loop.resume(dir).stopReason()).isEqualTo(StopReason.BUDGET);
            }
            assertThat(resumed.steps.get(0).step()).isEqualTo(41);
            assertThat(resumed.steps)
                    .extracting(StepRecord::loss)
                    .as("the losses of steps 41-100")
                    .containsExactlyElementsOf(
                            whole.steps.subList(40, 100).stream().map(StepRecord::loss).toList());
        }
    }

    @Test
    void aStopAskedBeforeTheRunEndsItBeforeTheFirstStepWithNothingToSave() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            Path dir = tmp.resolve("never");
            RecordingListener steps = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, false)
                            .optSteps(10)
                            .optCheckpoints(dir, 0, 1)
                            .addListener(steps)
                            .build()) {
                loop.requestStop();
                TrainingResult result = loop.run();
                assertThat(result.stopReason()).isEqualTo(StopReason.INTERRUPTED);
                assertThat(result.steps()).isZero();
                assertThat(result.lastCheckpoint()).isNull();
            }
            assertThat(steps.steps).isEmpty();
            assertThat(steps.result).isNotNull();
            assertThat(Checkpointer.list(dir)).isEmpty();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(2, TimeUnit.MINUTES)).as("the stop request came").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
