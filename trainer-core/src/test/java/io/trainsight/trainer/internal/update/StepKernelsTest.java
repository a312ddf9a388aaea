package io.trainsight.trainer.internal.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gradient kernels act on the gradients the backward pass left on the parameters, in place:
 * each test would fail if libtorch's TorchScript compiler dropped the in-place operation.
 */
class StepKernelsTest {

    private NDManager manager;
    private StepKernels kernels;
    private TensorList list;
    private NDArray a;
    private NDArray b;

    @BeforeEach
    void gradientsOfASquare() {
        manager = NDManager.newBaseManager();
        kernels = StepKernels.load(manager);
        list = new TensorList();
        a = manager.create(new float[] {3, 4});
        b = manager.create(new float[] {-12});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        // d/dx of x² is 2x: gradients (6, 8) and (-24); global norm √(36 + 64 + 576) = 26.
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(a.mul(a).sum().add(b.mul(b).sum()));
        }
    }

    @AfterEach
    void close() {
        list.close();
        kernels.close();
        manager.close();
    }

    private IValue params() {
        return list.of(new NDArray[] {a, b});
    }

    @Test
    void theGlobalNormCoversEveryGradient() {
        assertThat(kernels.norm(params())).isCloseTo(26f, within(1e-4f));
    }

    @Test
    void scalingChangesTheGradientsInPlace() {
        kernels.scale(params(), 0.5f);
        assertThat(a.getGradient().toFloatArray()).containsExactly(3, 4);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-12);
    }

    @Test
    void clampingLimitsBothSides() {
        kernels.clamp(params(), 7f);
        assertThat(a.getGradient().toFloatArray()).containsExactly(6, 7);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-7);
    }

    @Test
    void zeroingClearsNanToo() {
        kernels.scale(params(), Float.NaN);
        kernels.zero(params());
        assertThat(a.getGradient().toFloatArray()).containsExactly(0, 0);
        assertThat(b.getGradient().toFloatArray()).containsExactly(0);
    }

    @Test
    void theListFollowsAReplacedArray() {
        IValue first = params();
        assertThat(params()).isSameAs(first);
        NDArray c = manager.create(new float[] {1});
        c.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(c.mul(c).sum());
        }
        IValue other = list.of(new NDArray[] {a, c});
        assertThat(kernels.norm(other)).isCloseTo((float) Math.sqrt(36 + 64 + 4), within(1e-4f));
    }
}
