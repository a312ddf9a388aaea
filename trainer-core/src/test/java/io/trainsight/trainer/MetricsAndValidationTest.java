package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.insight.timeline.ValidationResult;
import io.trainsight.trainer.validation.EarlyStopping;
import io.trainsight.trainer.validation.ValidationSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsAndValidationTest {

    @Test
    void everyStepIsPublishedThroughMicrometer() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordingListener events = new RecordingListener();
        try (MlpProblem problem = new MlpProblem(256);
                TrainingLoop loop =
                        problem.loop(32, false)
                                .optSteps(12)
                                .optMeterRegistry(registry)
                                .addListener(events)
                                .build()) {
            loop.run();
        }
        Timer duration = registry.get("train.step.duration").timer();
        assertThat(duration.count()).isEqualTo(12);
        long total = events.steps.stream().mapToLong(s -> s.durationNanos()).sum();
        assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(total);
        assertThat(registry.get("train.data.wait").timer().count()).isEqualTo(12);
        assertThat(registry.get("train.samples").counter().count()).isEqualTo(12 * 32);
        assertThat(registry.get("train.loss").gauge().value())
                .isEqualTo(
                        events.steps.get(11).loss(), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(registry.get("train.loss.scale").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("train.steps.skipped").counter().count()).isZero();
    }

    @Test
    void validationRunsOnScheduleAndEarlyStoppingEndsARunThatStoppedImproving() throws Exception {
        List<ValidationResult> validations = new ArrayList<>();
        StepListener collect =
                new StepListener() {
                    @Override
                    public void onValidation(ValidationResult result) {
                        validations.add(result);
                    }
                };
        try (MlpProblem problem = new MlpProblem(256)) {
            // Every 4 steps; a learning rate of 1e-9 leaves the loss where it is, so with a
            // patience of 2 the run stops at the third validation (step 12), not at step 40.
            TrainingResult result;
            try (TrainingLoop loop =
                    problem.loop(32, false)
                            .setOptimizer(
                                    ai.djl.training.optimizer.Optimizer.sgd()
                                            .setLearningRateTracker(
                                                    ai.djl.training.tracker.Tracker.fixed(1e-9f))
                                            .build())
                            .optSteps(40)
                            .optValidation(
                                    ValidationSettings.everySteps(
                                            problem.heldOut(512),
                                            4,
                                            new Accuracy(),
                                            Loss.softmaxCrossEntropyLoss("held-out loss")))
                            .optEarlyStopping(
                                    EarlyStopping.whenMinimized("held-out loss", 2, 1e-3f))
                            .addListener(collect)
                            .build()) {
                result = loop.run();
            }
            assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPING);
            assertThat(result.steps()).isEqualTo(12);
            assertThat(validations).extracting(ValidationResult::step).containsExactly(4L, 8L, 12L);
            assertThat(validations.get(0).values()).containsOnlyKeys("Accuracy", "held-out loss");
        }
    }

    @Test
    void validationByEpochsFollowsTheEpochs() throws Exception {
        List<ValidationResult> validations = new ArrayList<>();
        try (MlpProblem problem = new MlpProblem(256);
                TrainingLoop loop =
                        problem.loop(32, false)
                                .optEpochs(4)
                                .optValidation(
                                        ValidationSettings.everyEpochs(
                                                problem.heldOut(256), 2, new Accuracy()))
                                .addListener(
                                        new StepListener() {
                                            @Override
                                            public void onValidation(ValidationResult result) {
                                                validations.add(result);
                                            }
                                        })
                                .build()) {
            loop.run();
        }
        assertThat(validations).extracting(ValidationResult::epoch).containsExactly(2, 4);
        assertThat(validations).extracting(ValidationResult::step).containsExactly(16L, 32L);
        assertThat(validations.get(1).get("Accuracy")).isGreaterThan(0.5f);
    }
}
