package io.trainsight.trainer.internal.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fused update against DJL's own, parameter by parameter, on the same weights and gradients:
 * two copies of two parameters stepped side by side.
 */
class FusedOptimizerTest {

    private static final String[] IDS = {"w", "b"};

    private NDManager manager;
    private StepKernels kernels;
    private final TensorList weightList = new TensorList();
    private final TensorList gradList = new TensorList();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(3);
        kernels = StepKernels.load(manager);
    }

    @AfterEach
    void close() {
        weightList.close();
        gradList.close();
        kernels.close();
        manager.close();
    }

    @Test
    void sgdWithMomentumAndWeightDecayIsDjlsBitForBit() {
        Supplier<Optimizer> sgd =
                () ->
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(0.1f))
                                .optMomentum(0.9f)
                                .optWeightDecays(0.01f)
                                .build();
        Pair result = stepBoth(sgd, 6);
        for (int i = 0; i < IDS.length; i++) {
            assertThat(result.fused[i].toFloatArray())
                    .containsExactly(result.djl[i].toFloatArray());
        }
    }

    @Test
    void plainSgdIsDjlsBitForBit() {
        Pair result =
                stepBoth(
                        () -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build(),
                        3);
        for (int i = 0; i < IDS.length; i++) {
            assertThat(result.fused[i].toFloatArray())
                    .containsExactly(result.djl[i].toFloatArray());
        }
    }

    @Test
    void adamTakesDjlsStepsToRounding() {
        Pair result =
                stepBoth(
                        () ->
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.01f))
                                        .optWeightDecays(0.001f)
                                        .build(),
                        20);
        assertClose(result, 1e-6f);
    }

    @Test
    void adamWTakesDjlsStepsToRounding() {
        Pair result =
                stepBoth(
                        () ->
                                Optimizer.adamW()
                                        .optLearningRateTracker(Tracker.fixed(0.01f))
                                        .optWeightDecays(0.1f)
                                        .build(),
                        20);
        assertClose(result, 1e-6f);
    }

    @Test
    void theStateStaysDjlsSoDjlCanContinueTheRun() {
        Supplier<Optimizer> adam =
                () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        // Both copies take 5 fused steps; then one copy takes its 6th step through DJL itself,
        // which needs the moments and the update count the fused steps left in DJL's fields.
        Optimizer fusedOnly = adam.get();
        Optimizer mixed = adam.get();
        NDArray[] a = weights();
        NDArray[] b = duplicate(a);
        FusedOptimizer fa = FusedOptimizer.of(fusedOnly, kernels);
        FusedOptimizer fb = FusedOptimizer.of(mixed, kernels);
        try (TensorList la = new TensorList();
                TensorList lb = new TensorList()) {
            for (int step = 0; step < 6; step++) {
                NDArray[] grads = gradients();
                assertThat(fa.update(IDS, a, la.of(a), gradList.of(duplicate(grads)))).isTrue();
                if (step < 5) {
                    assertThat(fb.update(IDS, b, lb.of(b), gradList.of(duplicate(grads)))).isTrue();
                } else {
                    for (int i = 0; i < IDS.length; i++) {
                        mixed.update(IDS[i], b[i], grads[i].duplicate());
                    }
                }
            }
        }
        assertClose(new Pair(a, b), 1e-6f);
    }

    @Test
    void differentLearningRatesPerParameterAreLeftToDjl() {
        Optimizer adam =
                Optimizer.adam()
                        .optLearningRateTracker((id, t) -> id.equals("w") ? 0.01f : 0.001f)
                        .build();
        FusedOptimizer fused = FusedOptimizer.of(adam, kernels);
        NDArray[] w = weights();
        float[] before = w[0].toFloatArray();
        assertThat(fused.update(IDS, w, weightList.of(w), gradList.of(gradients()))).isFalse();
        assertThat(w[0].toFloatArray()).containsExactly(before);
    }

    @Test
    void onlyDjlsOwnOptimizersWithoutRescalingOrClippingAreFused() {
        assertThat(FusedOptimizer.of(Optimizer.adam().setRescaleGrad(0.5f).build(), kernels))
                .isNull();
        assertThat(FusedOptimizer.of(Optimizer.adam().optClipGrad(1f).build(), kernels)).isNull();
        assertThat(
                        FusedOptimizer.of(
                                Optimizer.nag()
                                        .setLearningRateTracker(Tracker.fixed(0.1f))
                                        .setMomentum(0.9f)
                                        .build(),
                                kernels))
                .isNull();
        Adam subclass = new Adam(Adam.builder()) {};
        assertThat(FusedOptimizer.of(subclass, kernels)).isNull();
    }

    @Test
    void aNanLearningRateIsRefusedAsDjlRefusesIt() {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(Float.NaN)).build();
        FusedOptimizer fused = FusedOptimizer.of(adam, kernels);
        NDArray[] w = weights();
        assertThatThrownBy(() -> fused.update(IDS, w, weightList.of(w), gradList.of(gradients())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nan or infinite");
    }

    /** Two copies of the same weights after the same steps: one by DJL, one fused. */
    private record Pair(NDArray[] djl, NDArray[] fused) {}

    private Pair stepBoth(Supplier<Optimizer> make, int steps) {
        Optimizer djl = make.get();
        FusedOptimizer fused = FusedOptimizer.of(make.get(), kernels);
        assertThat(fused).isNotNull();
        NDArray[] a = weights();
        NDArray[] b = duplicate(a);
        for (int step = 0; step < steps; step++) {
            NDArray[] grads = gradients();
            for (int i = 0; i < IDS.length; i++) {
                djl.update(IDS[i], a[i], grads[i].duplicate());
            }
            assertThat(fused.update(IDS, b, weightList.of(b), gradList.of(grads))).isTrue();
        }
        return new Pair(a, b);
    }

    private static void assertClose(Pair pair, float tolerance) {
        for (int i = 0; i < IDS.length; i++) {
            float[] expected = pair.djl[i].toFloatArray();
            float[] actual = pair.fused[i].toFloatArray();
            assertThat(actual).hasSameSizeAs(expected);
            for (int j = 0; j < expected.length; j++) {
                assertThat(actual[j]).isCloseTo(expected[j], within(tolerance));
            }
            assertThat(actual).isNotEqualTo(new float[actual.length]);
        }
    }

    private NDArray[] weights() {
        return new NDArray[] {
            manager.randomNormal(new Shape(3, 4)), manager.randomNormal(new Shape(4))
        };
    }

    private NDArray[] gradients() {
        return new NDArray[] {
            manager.randomNormal(new Shape(3, 4)), manager.randomNormal(new Shape(4))
        };
    }

    private static NDArray[] duplicate(NDArray[] arrays) {
        NDArray[] copies = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            copies[i] = arrays[i].duplicate();
        }
        return copies;
    }
}
