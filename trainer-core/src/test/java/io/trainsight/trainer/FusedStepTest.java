package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.internal.step.StepRunner;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Whole runs with the step kernels (one call for all parameters, the optimizer fused) against the
 * same runs parameter by parameter through DJL: accumulation with a short last step, clipping by
 * norm and by value, SGD with momentum and Adam.
 */
class FusedStepTest {

    @Test
    void sgdWithAccumulationAndClippingMatchesDjlBitForBit() throws Exception {
        Supplier<Optimizer> sgd =
                () ->
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(0.05f))
                                .optMomentum(0.9f)
                                .build();
        Map<String, float[]> fused = train(sgd, true);
        Map<String, float[]> djl = train(sgd, false);
        assertThat(fused.keySet()).isEqualTo(djl.keySet());
        for (String name : djl.keySet()) {
            assertThat(fused.get(name)).as(name).containsExactly(djl.get(name));
        }
    }

    @Test
    void adamWithAccumulationAndClippingMatchesDjlToRounding() throws Exception {
        Supplier<Optimizer> adam =
                () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        Map<String, float[]> fused = train(adam, true);
        Map<String, float[]> djl = train(adam, false);
        for (String name : djl.keySet()) {
            float[] a = fused.get(name);
            float[] b = djl.get(name);
            for (int i = 0; i < b.length; i++) {
                assertThat(a[i]).as(name + "[" + i + "]").isCloseTo(b[i], within(1e-4f));
            }
        }
    }

    /** 100 samples in micro-batches of 8, 3 per step: every epoch ends on a short step. */
    private static Map<String, float[]> train(Supplier<Optimizer> optimizer, boolean kernels)
            throws Exception {
        String before = System.getProperty(StepRunner.KERNELS_PROPERTY);
        System.setProperty(StepRunner.KERNELS_PROPERTY, kernels ? "on" : "off");
        try (MlpProblem problem = new MlpProblem(100);
                TrainingLoop loop =
                        TrainingLoop.builder()
                                .setModel(problem.newModel())
                                .setLoss(Loss.softmaxCrossEntropyLoss())
                                .setOptimizer(optimizer.get())
                                .setInputShapes(new Shape(8, MlpProblem.FEATURES))
                                .setTrainingSet(problem.dataset(8, true))
                                .optAccumulate(3)
                                .optClipping(new GradientClipping(0.5f, 0.05f))
                                .optEpochs(3)
                                .build()) {
            loop.run();
            return Parameters.of(loop);
        } finally {
            if (before == null) {
                System.clearProperty(StepRunner.KERNELS_PROPERTY);
            } else {
                System.setProperty(StepRunner.KERNELS_PROPERTY, before);
            }
        }
    }
}
