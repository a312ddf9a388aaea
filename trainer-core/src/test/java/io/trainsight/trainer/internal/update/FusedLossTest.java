package io.trainsight.trainer.internal.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.junit.jupiter.api.Test;

class FusedLossTest {

    @Test
    void theLossAndItsGradientAreDjlsToRounding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Loss djl = Loss.softmaxCrossEntropyLoss();
            NDArray logits = manager.randomNormal(new Shape(16, 5)).mul(3);
            NDArray labels = manager.randomInteger(0, 5, new Shape(16), DataType.FLOAT32);
            try (FusedLoss fused = FusedLoss.of(djl, manager)) {
                assertThat(fused).isNotNull();
                float[] expected = lossAndGradient(logits, labels, djl::evaluate);
                float[] actual = lossAndGradient(logits, labels, fused::evaluate);
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
                }
            }
        }
    }

    @Test
    void onlyDjlsDefaultSoftmaxCrossEntropyIsFused() {
        assertThat(FusedLoss.isDefaultSoftmaxCrossEntropy(Loss.softmaxCrossEntropyLoss())).isTrue();
        assertThat(
                        FusedLoss.isDefaultSoftmaxCrossEntropy(
                                new SoftmaxCrossEntropyLoss("dense", 1, -1, false, true)))
                .as("dense labels")
                .isFalse();
        assertThat(
                        FusedLoss.isDefaultSoftmaxCrossEntropy(
                                new SoftmaxCrossEntropyLoss("weighted", 0.5f, -1, true, true)))
                .as("a weight")
                .isFalse();
        assertThat(
                        FusedLoss.isDefaultSoftmaxCrossEntropy(
                                new SoftmaxCrossEntropyLoss("probabilities", 1, -1, true, false)))
                .as("predictions that are not logits")
                .isFalse();
        assertThat(FusedLoss.isDefaultSoftmaxCrossEntropy(new SoftmaxCrossEntropyLoss() {}))
                .as("a subclass may compute something else")
                .isFalse();
        assertThat(FusedLoss.isDefaultSoftmaxCrossEntropy(Loss.l2Loss())).isFalse();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(FusedLoss.of(Loss.l2Loss(), manager)).isNull();
        }
    }

    @Test
    void labelsOfAnotherShapeGoThroughDjl() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Loss djl = Loss.softmaxCrossEntropyLoss();
            NDArray logits = manager.randomNormal(new Shape(4, 3));
            NDArray labels = manager.create(new float[] {0, 2, 1, 2}, new Shape(4, 1));
            try (FusedLoss fused = FusedLoss.of(djl, manager)) {
                float value = fused.evaluate(new NDList(labels), new NDList(logits)).getFloat();
                assertThat(value)
                        .isEqualTo(djl.evaluate(new NDList(labels), new NDList(logits)).getFloat());
            }
        }
    }

    private interface Evaluation {
        NDArray evaluate(NDList labels, NDList predictions);
    }

    /** The loss, then the gradient of the logits, from a fresh copy of them. */
    private static float[] lossAndGradient(NDArray logits, NDArray labels, Evaluation loss) {
        NDArray x = logits.duplicate();
        x.setRequiresGradient(true);
        float value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = loss.evaluate(new NDList(labels), new NDList(x));
            assertThat(out.getShape().dimension()).as("a scalar").isZero();
            value = out.getFloat();
            collector.backward(out);
        }
        float[] gradient = x.getGradient().toFloatArray();
        float[] all = new float[gradient.length + 1];
        all[0] = value;
        System.arraycopy(gradient, 0, all, 1, gradient.length);
        return all;
    }
}
