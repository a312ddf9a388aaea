package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.trainer.timeline.StepRecord;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    @Test
    void stepBudgetStopsTheRunMidEpochAndNumbersEveryStep() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            RecordingListener events = new RecordingListener();
            TrainingResult result =
                    TrainingLoop.builder()
                            .setTrainer(problem.trainer())
                            .setTrainingSet(problem.dataset())
                            .optSteps(20)
                            .addListener(events)
                            .build()
                            .run();

            assertThat(result.steps()).isEqualTo(20);
            assertThat(result.completed()).isTrue();
            assertThat(events.steps)
                    .extracting(StepRecord::step)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
            // 8 batches per epoch: steps 1-8 in epoch 1, 9-16 in epoch 2, 17-20 in epoch 3.
            assertThat(events.steps.get(7).epoch()).isEqualTo(1);
            assertThat(events.steps.get(8).epoch()).isEqualTo(2);
            assertThat(events.steps.get(19).epoch()).isEqualTo(3);
            assertThat(result.epochs()).isEqualTo(3);
            assertThat(result.samples()).isEqualTo(160);
            assertThat(events.result).isEqualTo(result);
        }
    }

    @Test
    void epochBudgetRunsWholePassesAndReportsEachEpochEnd() throws Exception {
        try (LinearProblem problem = new LinearProblem(60, 8)) {
            RecordingListener events = new RecordingListener();
            TrainingResult result =
                    TrainingLoop.builder()
                            .setTrainer(problem.trainer())
                            .setTrainingSet(problem.dataset())
                            .optEpochs(2)
                            .addListener(events)
                            .build()
                            .run();

            // 60 samples in batches of 8: 7 full batches and one of 4, per epoch.
            assertThat(result.steps()).isEqualTo(16);
            assertThat(events.epochEnds).containsExactly(1, 2);
            assertThat(events.steps.get(7).samples()).isEqualTo(4);
            assertThat(result.samples()).isEqualTo(120);
        }
    }

    @Test
    void theFirstBudgetReachedWins() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            TrainingResult result =
                    TrainingLoop.builder()
                            .setTrainer(problem.trainer())
                            .setTrainingSet(problem.dataset())
                            .optEpochs(1)
                            .optSteps(100)
                            .build()
                            .run();
            assertThat(result.steps()).isEqualTo(8);
        }
    }

    @Test
    void stepRecordsAreConsistentTimelines() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8)) {
            RecordingListener events = new RecordingListener();
            TrainingLoop.builder()
                    .setTrainer(problem.trainer())
                    .setTrainingSet(problem.dataset())
                    .optSteps(16)
                    .addListener(events)
                    .build()
                    .run();

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
                previousEnd = step.endNanos();
            }
        }
    }

    @Test
    void theLossFallsOnALearnableProblem() throws Exception {
        try (LinearProblem problem = new LinearProblem(256, 16)) {
            RecordingListener events = new RecordingListener();
            TrainingLoop.builder()
                    .setTrainer(problem.trainer())
                    .setTrainingSet(problem.dataset())
                    .optEpochs(10)
                    .addListener(events)
                    .build()
                    .run();

            float first = events.steps.get(0).loss();
            float last = events.steps.get(events.steps.size() - 1).loss();
            assertThat(last).as("loss after 10 epochs vs the first step").isLessThan(first / 100);
        }
    }

    @Test
    void anEmptyTrainingSetIsAnErrorNotAnEndlessLoop() throws Exception {
        try (LinearProblem problem = new LinearProblem(64, 8);
                ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.training.dataset.ArrayDataset empty =
                    new ai.djl.training.dataset.ArrayDataset.Builder()
                            .setData(manager.zeros(new ai.djl.ndarray.types.Shape(0, 2)))
                            .optLabels(manager.zeros(new ai.djl.ndarray.types.Shape(0, 1)))
                            .setSampling(8, false)
                            .build();
            RecordingListener events = new RecordingListener();
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTrainer(problem.trainer())
                            .setTrainingSet(empty)
                            .optSteps(10)
                            .addListener(events)
                            .build();
            assertThatThrownBy(loop::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no batch in epoch 1");
            assertThat(events.result.completed()).isFalse();
        }
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> TrainingLoop.builder().optSteps(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> TrainingLoop.builder().optEpochs(-1))
                .hasMessageContaining("epochs")
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> TrainingLoop.builder().build()).hasMessageContaining("setTrainer");
        try (LinearProblem problem = new LinearProblem(16, 8)) {
            assertThatThrownBy(
                            () ->
                                    TrainingLoop.builder()
                                            .setTrainer(problem.trainer())
                                            .setTrainingSet(problem.dataset())
                                            .build())
                    .hasMessageContaining("budget");
        }
    }
}
