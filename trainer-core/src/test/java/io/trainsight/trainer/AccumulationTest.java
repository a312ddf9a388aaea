package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccumulationTest {

    @Test
    void kMicroBatchesOfBGiveTheParametersOfOneBatchOfKTimesB() throws Exception {
        try (MlpProblem problem = new MlpProblem(512)) {
            RecordingListener accumulated = new RecordingListener();
            Map<String, float[]> micro;
            try (TrainingLoop loop =
                    problem.loop(8, false)
                            .optAccumulate(4)
                            .optSteps(12)
                            .addListener(accumulated)
                            .build()) {
                loop.run();
                micro = Parameters.of(loop);
            }
            Map<String, float[]> whole;
            try (TrainingLoop loop = problem.loop(32, false).optSteps(12).build()) {
                loop.run();
                whole = Parameters.of(loop);
            }

            assertThat(accumulated.steps).hasSize(12);
            assertThat(accumulated.steps)
                    .allSatisfy(
                            step -> {
                                assertThat(step.microBatches()).isEqualTo(4);
                                assertThat(step.samples()).isEqualTo(32);
                            });
            assertThat(micro.keySet()).isEqualTo(whole.keySet());
            for (String name : whole.keySet()) {
                float[] a = micro.get(name);
                float[] b = whole.get(name);
                for (int i = 0; i < b.length; i++) {
                    assertThat(a[i])
                            .as("%s[%d] after 12 steps", name, i)
                            .isCloseTo(b[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void theLastStepOfAnEpochAveragesTheMicroBatchesItHas() throws Exception {
        // 40 samples in batches of 8 = 5 micro-batches per epoch; with k = 2: steps of 2, 2, 1.
        try (MlpProblem problem = new MlpProblem(40)) {
            RecordingListener events = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(8, false)
                            .optAccumulate(2)
                            .optEpochs(2)
                            .addListener(events)
                            .build()) {
                loop.run();
            }
            assertThat(events.steps)
                    .extracting(r -> r.microBatches())
                    .containsExactly(2, 2, 1, 2, 2, 1);
            assertThat(events.steps.get(2).samples()).isEqualTo(8);
        }
    }
}
