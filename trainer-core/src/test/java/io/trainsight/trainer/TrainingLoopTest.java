package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    static TrainingResult run(TrainingLoopBuilder builder) throws Exception {
        try (TrainingLoop loop = builder.build()) {
            return loop.run();
        }
    }

    @Test
    void stepBudgetStopsTheRunMidEpochAndNumbersEveryStep() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            RecordingListener events = new RecordingListener();
            TrainingResult result = run(problem.loop().optSteps(20).addListener(events));

            assertThat(result.steps()).isEqualTo(20);
            assertThat(result.stopReason()).isEqualTo(StopReason.BUDGET);
            assertThat(events.steps)
                    .extracting(StepRecord::step)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
            // 8 batches per epoch: steps 1-8 in epoch 1, 9-16 in epoch 2, 17-20 in epoch 3.
            assertThat(events.steps.get(7).epoch()).isEqualTo(1);
            assertThat(events.steps.get(8).epoch()).isEqualTo(2);
            assertThat(events.steps.get(19).epoch()).isEqualTo(3);
            assertThat(events.epochEnds).containsExactly(1, 2);
            assertThat(result.epochs()).isEqualTo(3);
            assertThat(result.samples()).isEqualTo(160);
            assertThat(events.result).isEqualTo(result);
        }
    }

    @Test
    void epochBudgetRunsWholePassesAndReportsEachEpochEnd() throws Exception {
        try (LinearProblem problem = new LinearProblem(60, 8)) {
            RecordingListener events = new RecordingListener();
            TrainingResult result = run(problem.loop().optEpochs(2).addListener(events));

            // 60 samples in batches of 8: 7 full batches and one of 4, per epoch.
            assertThat(result.steps()).isEqualTo(16);
            assertThat(events.epochEnds).containsExactly(1, 2);
            assertThat(events.steps.get(7).samples()).isEqualTo(4);
            assertThat(result.samples()).isEqualTo(120);
            assertThat(result.epochs()).isEqualTo(2);
        }
    }

    @Test
    void theFirstBudgetReachedWins() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            assertThat(run(problem.loop().optEpochs(1).optSteps(100)).steps()).isEqualTo(8);
        }
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            assertThat(run(problem.loop().optEpochs(5).optSteps(12)).steps()).isEqualTo(12);
        }
    }

    @Test
    void stepRecordsAreConsistentTimelines() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            RecordingListener events = new RecordingListener();
            run(problem.loop().optSteps(16).addListener(events));

            long previousEnd = events.origin;
            for (StepRecord step : events.steps) {
                assertThat(step.startNanos())
                        .as("step %d starts after the previous one ended", step.step())
                        .isGreaterThanOrEqualTo(previousEnd);
                assertThat(step.dataWaitNanos()).isNotNegative();
                assertThat(step.forwardNanos()).isPositive();
                assertThat(step.backwardNanos()).isPositive();
                assertThat(step.optimizerNanos()).isPositive();
                assertThat(
                                step.dataWaitNanos()
                                        + step.forwardNanos()
                                        + step.backwardNanos()
                                        + step.optimizerNanos())
                        .as("the phases of step %d fit in its window", step.step())
                        .isLessThanOrEqualTo(step.durationNanos());
                assertThat(step.samples()).isEqualTo(8);
                assertThat(step.microBatches()).isEqualTo(1);
                assertThat(step.lossScale()).isEqualTo(1f);
                assertThat(step.gradNorm()).as("not computed without clipping").isNaN();
                assertThat(step.skipped()).isFalse();
                previousEnd = step.endNanos();
            }
        }
    }

    @Test
    void theLossFallsOnALearnableProblem() throws Exception {
        try (LinearProblem problem = new LinearProblem(256, 16)) {
            RecordingListener events = new RecordingListener();
            run(problem.loop().optEpochs(10).addListener(events));

            float first = events.steps.get(0).loss();
            float last = events.steps.get(events.steps.size() - 1).loss();
            assertThat(last).as("loss after 10 epochs vs the first step").isLessThan(first / 100);
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() throws Exception {
        float[] a = losses(1);
        assertThat(losses(1)).containsExactly(a);
        assertThat(losses(2)).isNotEqualTo(a);
    }

    private static float[] losses(long seed) throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            RecordingListener events = new RecordingListener();
            run(problem.loop().optSteps(10).optSeed(seed).addListener(events));
            float[] losses = new float[events.steps.size()];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = events.steps.get(i).loss();
            }
            return losses;
        }
    }

    @Test
    void anEmptyTrainingSetIsAnErrorNotAnEndlessLoop() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8);
                NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset empty =
                    new ArrayDataset.Builder()
                            .setData(manager.zeros(new Shape(0, 2)))
                            .optLabels(manager.zeros(new Shape(0, 1)))
                            .setSampling(8, false)
                            .build();
            RecordingListener events = new RecordingListener();
            assertThatThrownBy(
                            () ->
                                    run(
                                            problem.withoutData()
                                                    .setTrainingSet(empty)
                                                    .optSteps(10)
                                                    .addListener(events)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no batch in epoch 1");
            assertThat(events.result.stopReason()).isEqualTo(StopReason.FAILED);
            assertThat(events.result.completed()).isFalse();
        }
    }

    @Test
    void aLoopRunsOnce() throws Exception {
        try (LinearProblem problem = new LinearProblem(16, 8);
                TrainingLoop loop = problem.loop().optSteps(1).build()) {
            loop.run();
            assertThatThrownBy(loop::run).hasMessageContaining("runs once");
        }
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> TrainingLoop.builder().build())
                .hasMessage("model is required: call setModel");
        try (LinearProblem problem = new LinearProblem(16, 8)) {
            assertThatThrownBy(() -> problem.loop().optSteps(0).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("steps must be a positive number, got 0");
            assertThatThrownBy(() -> problem.loop().optEpochs(-1).build())
                    .hasMessage("epochs must be a positive number, got -1");
            assertThatThrownBy(() -> problem.loop().optSteps(1).optAccumulate(0).build())
                    .hasMessage("accumulate must be at least 1, got 0");
            assertThatThrownBy(() -> problem.loop().build())
                    .hasMessage("a budget is required: call optSteps, optEpochs or both");
            assertThatThrownBy(
                            () -> problem.loop().optSteps(1).optPrecision(Precision.BF16).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("precision bf16 is not supported")
                    .hasMessageContaining("use fp16 (mixed precision) or fp32");
        }
    }
}
