package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.trainsight.data.DataLoader;
import io.trainsight.insight.timeline.TrainingResult;
import org.junit.jupiter.api.Test;

/** The loop's builder: settings copied at build(), one data source, one seed, one batch size. */
class BuilderTest {

    @Test
    void aBuilderCallAfterBuildChangesNothingThatExists() throws Exception {
        try (MlpProblem problem = new MlpProblem(512)) {
            TrainingLoopBuilder builder = problem.loop(32, false).optSteps(5).optProgressLog(false);
            RecordingListener events = new RecordingListener();
            try (TrainingLoop loop = builder.addListener(events).build()) {
                builder.optSteps(1000).optAccumulate(4).addListener(new RecordingListener());
                TrainingResult result = loop.run();

                assertThat(result.steps()).isEqualTo(5);
                assertThat(events.steps).allMatch(step -> step.microBatches() == 1);
            }
        }
    }

    @Test
    void aSecondSourceOfTrainingDataIsRefusedAtOnceNamingBoth() throws Exception {
        try (MlpProblem problem = new MlpProblem(64)) {
            TrainingLoopBuilder builder = problem.loop(32, false);
            assertThatThrownBy(() -> builder.setTrainingSet(problem.dataset(16, false)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("setTrainingSet contradicts setTrainingSet")
                    .hasMessageContaining("one source");
        }
    }

    @Test
    void everySettingIsCheckedByBuildNamingTheValue() throws Exception {
        try (MlpProblem problem = new MlpProblem(64)) {
            assertThatThrownBy(() -> problem.loop(32, false).optSteps(0).build())
                    .hasMessage("steps must be a positive number, got 0");
            assertThatThrownBy(() -> problem.loop(32, false).optSteps(5).optAccumulate(0).build())
                    .hasMessage("accumulate must be at least 1, got 0");
            assertThatThrownBy(
                            () ->
                                    problem.loop(32, false)
                                            .optSteps(5)
                                            .optInsight(insight -> {})
                                            .build())
                    .hasMessageContaining("call optRunDirectory too");
        }
    }

    @Test
    void theLoaderTakesTheLoopSeedAndTwoDifferentSeedsAreRefused() throws Exception {
        try (MlpProblem problem = new MlpProblem(256);
                NDManager manager = NDManager.newBaseManager()) {
            DataLoader seeded =
                    DataLoader.builder()
                            .setDataset(problem.dataset(32, true))
                            .optShuffle(true)
                            .optSeed(7)
                            .optManager(manager)
                            .build();
            RecordingListener events = new RecordingListener();
            try (TrainingLoop loop = over(problem, seeded).addListener(events).build()) {
                loop.run();
            }
            assertThat(events.start.configuration().get("seed"))
                    .as("a seed given only to the loader becomes the run's seed")
                    .isEqualTo(7L);
            assertThatThrownBy(() -> over(problem, seeded).optSeed(42).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "optSeed(42) contradicts the loader's optSeed(7): the loop's seed"
                                    + " orders the loader's epochs; give the seed once");
        }
    }

    private static TrainingLoopBuilder over(MlpProblem problem, DataLoader loader) {
        return problem.withoutData(32).setTrainingLoader(loader).optSteps(3).optProgressLog(false);
    }
}
