package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.trainer.clip.GradientClipping;
import org.junit.jupiter.api.Test;

/**
 * One SGD step (lr 1) of y = w·x with w = (3, 4), x = (1, 2) and an L2 loss ½(y − t)²: the gradient
 * is (y − t)·x, known in closed form, so the update shows exactly what clipping did.
 */
class ClippingTest {

    @Test
    void normClippingScalesTheGradientToTheLimitAndRecordsThePreClipNorm() throws Exception {
        // y = 11, t = 0: gradient (11, 22), norm 11·√5.
        Step step = step(0f, GradientClipping.byNorm(1f));
        float norm = (float) (11 * Math.sqrt(5));
        assertThat(step.record.gradNorm()).isCloseTo(norm, within(1e-3f));
        assertThat(step.weights[0]).isCloseTo(3 - 11 / norm, within(1e-5f));
        assertThat(step.weights[1]).isCloseTo(4 - 22 / norm, within(1e-5f));
    }

    @Test
    void normClippingLeavesASmallGradientAlone() throws Exception {
        Step step = step(0f, GradientClipping.byNorm(100f));
        assertThat(step.weights).containsExactly(new float[] {3 - 11, 4 - 22}, within(1e-5f));
    }

    @Test
    void valueClippingClampsTheTop() throws Exception {
        Step step = step(0f, GradientClipping.byValue(5f)); // gradient (11, 22) -> (5, 5)
        assertThat(step.weights).containsExactly(new float[] {-2, -1}, within(1e-5f));
    }

    @Test
    void valueClippingClampsTheBottomTooUnlikeDjl() throws Exception {
        Step step = step(100f, GradientClipping.byValue(5f)); // gradient (-89, -178) -> (-5, -5)
        assertThat(step.weights).containsExactly(new float[] {8, 9}, within(1e-5f));
    }

    @Test
    void normThenValue() throws Exception {
        // (11, 22) scaled to norm 11·√5/2 is (5.5, 11), then clamped to (5, 5).
        float norm = (float) (11 * Math.sqrt(5));
        Step step = step(0f, new GradientClipping(norm / 2, 5f));
        assertThat(step.weights).containsExactly(new float[] {-2, -1}, within(1e-4f));
    }

    private record Step(io.trainsight.insight.timeline.StepRecord record, float[] weights) {}

    private static Step step(float target, GradientClipping clipping) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("linear")) {
            model.setBlock(Linear.builder().setUnits(1).optBias(false).build());
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.create(new float[] {1, 2}, new Shape(1, 2)))
                            .optLabels(manager.create(new float[] {target}, new Shape(1, 1)))
                            .setSampling(1, false)
                            .build();
            RecordingListener events = new RecordingListener();
            try (TrainingLoop loop =
                    TrainingLoop.builder()
                            .setModel(model)
                            .setLoss(Loss.l2Loss())
                            .setOptimizer(
                                    Optimizer.sgd()
                                            .setLearningRateTracker(Tracker.fixed(1f))
                                            .build())
                            .setInputShapes(new Shape(1, 2))
                            .setTrainingSet(data)
                            .optClipping(clipping)
                            .optSteps(1)
                            .addListener(events)
                            .build()) {
                model.getBlock()
                        .getParameters()
                        .get(0)
                        .getValue()
                        .getArray()
                        .set(
                                new NDIndex("..."),
                                manager.create(new float[] {3, 4}, new Shape(1, 2)));
                loop.run();
                float[] weights =
                        model.getBlock()
                                .getParameters()
                                .get(0)
                                .getValue()
                                .getArray()
                                .toFloatArray();
                return new Step(events.steps.get(0), weights);
            }
        }
    }
}
