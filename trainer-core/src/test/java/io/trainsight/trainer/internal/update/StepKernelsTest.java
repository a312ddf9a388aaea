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
        assertThat(kernels.norm(params(), kernels.none())).isCloseTo(26f, within(1e-4f));
    }

    @Test
    void scalingChangesTheGradientsInPlace() {
        kernels.scale(params(), kernels.none(), 0.5f);
        assertThat(a.getGradient().toFloatArray()).containsExactly(3, 4);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-12);
    }

    @Test
    void clampingLimitsBothSides() {
        kernels.clamp(params(), kernels.none(), 7f);
        assertThat(a.getGradient().toFloatArray()).containsExactly(6, 7);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-7);
    }

    @Test
    void zeroingClearsNanToo() {
        kernels.scale(params(), kernels.none(), Float.NaN);
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
        assertThat(kernels.norm(other, kernels.none()))
                .isCloseTo((float) Math.sqrt(36 + 64 + 4), within(1e-4f));
    }

    /** The gradients of 3·Σa + 5·Σb (3, 3 and 5), computed without touching a's and b's own. */
    private IValue handedOver(NDArray... params) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDArray loss = a.sum().mul(3).add(b.sum().mul(5))) {
            return kernels.gradients(loss, list.of(params));
        }
    }

    /** The values of a list of two gradients. */
    private static float[][] values(IValue grads, NDManager owner) {
        NDArray[] arrays = new NDArray[2];
        StepKernels.toArrays(grads, arrays, owner);
        float[][] values = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            values[i] = arrays[i].toFloatArray();
            arrays[i].close();
        }
        return values;
    }

    @Test
    void handedOverGradientsLeaveTheParametersOwnAsTheyWere() {
        try (IValue grads = handedOver(a, b)) {
            assertThat(values(grads, manager)).isDeepEqualTo(new float[][] {{3, 3}, {5}});
        }
        assertThat(a.getGradient().toFloatArray()).containsExactly(6, 8);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-24);
    }

    @Test
    void aParameterTheLossDoesNotUseGetsZeros() {
        NDArray unused = manager.create(new float[] {1, 2, 3});
        unused.setRequiresGradient(true);
        try (IValue grads = handedOver(a, unused)) {
            assertThat(values(grads, manager)).isDeepEqualTo(new float[][] {{3, 3}, {0, 0, 0}});
        }
    }

    @Test
    void theKernelsActOnHandedOverGradientsInsteadOfTheParametersOwn() {
        try (IValue grads = handedOver(a, b)) {
            IValue params = params();
            // √(9 + 9 + 25)
            assertThat(kernels.norm(params, grads)).isCloseTo((float) Math.sqrt(43), within(1e-4f));
            kernels.scale(params, grads, 2f);
            kernels.clamp(params, grads, 8f);
            assertThat(values(grads, manager)).isDeepEqualTo(new float[][] {{6, 6}, {8}});
        }
        assertThat(a.getGradient().toFloatArray()).containsExactly(6, 8);
        assertThat(b.getGradient().toFloatArray()).containsExactly(-24);
    }

    @Test
    void oneGradientForTwoParametersIsHandedOverAsTwo() {
        // d(c + d)/dc and d(c + d)/dd are one tensor in the backward pass.
        NDArray c = manager.create(1f);
        NDArray d = manager.create(2f);
        c.setRequiresGradient(true);
        d.setRequiresGradient(true);
        IValue grads;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDArray loss = c.add(d)) {
            grads = kernels.gradients(loss, list.of(new NDArray[] {c, d}));
        }
        try (grads) {
            kernels.scale(list.of(new NDArray[] {c, d}), grads, 2f);
            assertThat(values(grads, manager)).isDeepEqualTo(new float[][] {{2}, {2}});
        }
    }

    @Test
    void adamZeroesOnlyTheParametersOwnGradients() {
        double[] hyper = {1, 0.1, 0.9, 0.999, 0, 1e-8};
        NDArray[] means = {a.zerosLike(), b.zerosLike()};
        NDArray[] variances = {a.zerosLike(), b.zerosLike()};
        try (TensorList m = new TensorList();
                TensorList v = new TensorList();
                IValue grads = handedOver(a, b)) {
            kernels.adam(params(), grads, m.of(means), v.of(variances), hyper, false);
            assertThat(values(grads, manager)).isDeepEqualTo(new float[][] {{3, 3}, {5}});
            assertThat(a.getGradient().toFloatArray()).containsExactly(6, 8);
            kernels.adam(params(), kernels.none(), m.of(means), v.of(variances), hyper, false);
            assertThat(a.getGradient().toFloatArray()).containsExactly(0, 0);
            assertThat(b.getGradient().toFloatArray()).containsExactly(0);
        }
    }
}
