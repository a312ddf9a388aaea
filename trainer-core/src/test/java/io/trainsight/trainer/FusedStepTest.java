package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.internal.step.StepRunner;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Whole runs with the step kernels (one call for all parameters, the optimizer fused) against the
 * same runs parameter by parameter through DJL: accumulation with a short last step, clipping by
 * norm and by value, SGD with momentum and Adam; and steps of one micro-batch, whose gradients go
 * straight to the update, against the same steps with the gradients kept on the parameters.
 */
class FusedStepTest {

    private static Optimizer sgd() {
        return Optimizer.sgd()
                .setLearningRateTracker(Tracker.fixed(0.05f))
                .optMomentum(0.9f)
                .build();
    }

    private static Optimizer adam() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
    }

    @Test
    void sgdWithAccumulationAndClippingMatchesDjlBitForBit() throws Exception {
        Map<String, float[]> fused = train(FusedStepTest::sgd, true);
        Map<String, float[]> djl = train(FusedStepTest::sgd, false);
        assertThat(fused.keySet()).isEqualTo(djl.keySet());
        for (String name : djl.keySet()) {
            assertThat(fused.get(name)).as(name).containsExactly(djl.get(name));
        }
    }

    @Test
    void adamWithAccumulationAndClippingMatchesDjlToRounding() throws Exception {
        Map<String, float[]> fused = train(FusedStepTest::adam, true);
        Map<String, float[]> djl = train(FusedStepTest::adam, false);
        for (String name : djl.keySet()) {
            float[] a = fused.get(name);
            float[] b = djl.get(name);
            for (int i = 0; i < b.length; i++) {
                assertThat(a[i]).as(name + "[" + i + "]").isCloseTo(b[i], within(1e-4f));
            }
        }
    }

    @Test
    void handedOverGradientsTrainAsGradientsKeptOnTheParametersBitForBit() throws Exception {
        Run direct = train(FusedStepTest::adam, "on", "on", 1);
        Run kept = train(FusedStepTest::adam, "on", "off", 1);
        for (String name : kept.values().keySet()) {
            assertThat(direct.values().get(name)).as(name).containsExactly(kept.values().get(name));
        }
        // Handed over, no gradient is ever kept on a parameter; kept, each holds zeros after a
        // step.
        assertThat(direct.keptGradients()).isZero();
        assertThat(kept.keptGradients()).isEqualTo(kept.values().size());
    }

    @Test
    void handedOverGradientsGiveDjlsSgdBitForBit() throws Exception {
        Run direct = train(FusedStepTest::sgd, "on", "on", 1);
        Run djl = train(FusedStepTest::sgd, "off", "on", 1);
        assertThat(direct.keptGradients()).isZero();
        for (String name : djl.values().keySet()) {
            assertThat(direct.values().get(name)).as(name).containsExactly(djl.values().get(name));
        }
    }

    @Test
    void handedOverGradientsReachDjlsOwnUpdateWhenTheFusedOneCannotTakeTheStep() throws Exception {
        // A learning rate per parameter is left to DJL's update, which gets the handed-over
        // gradients as arrays.
        Supplier<Optimizer> perParameter =
                () -> Optimizer.sgd().setLearningRateTracker(new FirstParameterFaster()).build();
        Run direct = train(perParameter, "on", "on", 1);
        Run djl = train(perParameter, "off", "on", 1);
        assertThat(direct.keptGradients()).isZero();
        for (String name : djl.values().keySet()) {
            assertThat(direct.values().get(name)).as(name).containsExactly(djl.values().get(name));
        }
    }

    /** Learning rate 0.05 for the first parameter asked about, 0.02 for the others. */
    private static final class FirstParameterFaster implements ParameterTracker {
        private String first;

        @Override
        public synchronized float getNewValue(String parameterId, int numUpdate) {
            if (first == null) {
                first = parameterId;
            }
            return first.equals(parameterId) ? 0.05f : 0.02f;
        }
    }

    private static Map<String, float[]> train(Supplier<Optimizer> optimizer, boolean kernels)
            throws Exception {
        return train(optimizer, kernels ? "on" : "off", "on", 3).values();
    }

    /**
     * A run's parameter values, and how many parameters hold a gradient of their own at its end.
     */
    private record Run(Map<String, float[]> values, int keptGradients) {}

    /**
     * 100 samples in micro-batches of 8, {@code accumulate} per step: with 3, every epoch ends on a
     * short step.
     */
    private static Run train(
            Supplier<Optimizer> optimizer, String kernels, String direct, int accumulate)
            throws Exception {
        String before = System.getProperty(StepRunner.KERNELS_PROPERTY);
        String directBefore = System.getProperty(StepRunner.DIRECT_PROPERTY);
        System.setProperty(StepRunner.KERNELS_PROPERTY, kernels);
        System.setProperty(StepRunner.DIRECT_PROPERTY, direct);
        try (MlpProblem problem = new MlpProblem(100);
                TrainingLoop loop =
                        TrainingLoop.builder()
                                .setModel(problem.newModel())
                                .setLoss(Loss.softmaxCrossEntropyLoss())
                                .setOptimizer(optimizer.get())
                                .setInputShapes(new Shape(8, MlpProblem.FEATURES))
                                .setTrainingSet(problem.dataset(8, true))
                                .optAccumulate(accumulate)
                                .optClipping(new GradientClipping(0.5f, 0.05f))
                                .optEpochs(3)
                                .build()) {
            loop.run();
            int keptGradients = 0;
            for (Pair<String, Parameter> pair :
                    loop.getTrainer().getModel().getBlock().getParameters()) {
                // DJL's getGradient answers zeros for a missing gradient; JniUtils answers null.
                PtNDArray own = JniUtils.getGradient((PtNDArray) pair.getValue().getArray());
                if (own != null) {
                    keptGradients++;
                    own.close();
                }
            }
            return new Run(Parameters.of(loop), keptGradients);
        } finally {
            restore(StepRunner.KERNELS_PROPERTY, before);
            restore(StepRunner.DIRECT_PROPERTY, directBefore);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
