package io.trainsight.trainer.internal.update;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's {@link Adam}, {@link AdamW} and {@link Sgd} applied to all parameters in one call per step,
 * on {@link StepKernels}: where DJL's own update makes, per parameter, a copy of the gradient, a
 * dozen kernel launches with four temporaries and a separate call to zero the gradient, the fused
 * update reads and writes each element once (Adam) or runs DJL's own operations on every tensor in
 * one crossing (SGD).
 *
 * <p>The optimizer object stays the owner of its state: the moments and momenta live in its own
 * maps and its update counts advance as DJL's would, so checkpoints save and restore it unchanged
 * and the optimizer can be stepped by DJL again at any time. The learning rate comes from its
 * tracker, parameter by parameter; a step whose parameters get different rates or update numbers is
 * left to DJL ({@link #update} returns false). SGD gives DJL's results bit for bit; Adam's fused
 * kernel computes the same formula in another order, equal to a few units in the last place.
 * Optimizers with gradient rescaling or DJL's one-sided clipping stay unfused.
 */
public final class FusedOptimizer implements AutoCloseable {

    private enum Kind {
        ADAM,
        ADAMW,
        SGD
    }

    private final Kind kind;
    private final StepKernels kernels;
    private final DjlFields.Counts counts;
    private final ParameterTracker tracker;
    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float momentum;
    private final Map<String, Map<Device, NDArray>> firstState;
    private final Map<String, Map<Device, NDArray>> secondState;
    private final TensorList firstList = new TensorList();
    private final TensorList secondList = new TensorList();
    private int[] numbers = new int[0];
    private NDArray[] first = new NDArray[0];
    private NDArray[] second = new NDArray[0];

    private FusedOptimizer(Optimizer optimizer, Kind kind, StepKernels kernels) {
        this.kind = kind;
        this.kernels = kernels;
        Class<?> type = optimizer.getClass();
        this.counts = new DjlFields.Counts(optimizer);
        this.tracker = (ParameterTracker) DjlFields.get(optimizer, type, "learningRateTracker");
        this.weightDecay = DjlFields.floatOf(optimizer, Optimizer.class, "weightDecays");
        if (kind == Kind.SGD) {
            this.momentum = DjlFields.floatOf(optimizer, type, "momentum");
            this.beta1 = this.beta2 = this.epsilon = 0;
            this.firstState = DjlFields.stateOf(optimizer, type, "momentumStates");
            this.secondState = null;
        } else {
            this.momentum = 0;
            this.beta1 = DjlFields.floatOf(optimizer, type, "beta1");
            this.beta2 = DjlFields.floatOf(optimizer, type, "beta2");
            this.epsilon = DjlFields.floatOf(optimizer, type, "epsilon");
            this.firstState = DjlFields.stateOf(optimizer, type, "means");
            this.secondState = DjlFields.stateOf(optimizer, type, "variances");
        }
    }

    /**
     * Returns the fused form of an optimizer, or null when it has none: another class (exactly
     * Adam, AdamW and Sgd are fused, not subclasses), gradient rescaling or clipping set on the
     * optimizer, or a DJL whose fields are not the ones this was written for.
     *
     * @param optimizer the optimizer
     * @param kernels the kernels to run on
     * @return the fused optimizer, or null
     */
    public static FusedOptimizer of(Optimizer optimizer, StepKernels kernels) {
        Kind kind;
        if (optimizer.getClass() == Adam.class) {
            kind = Kind.ADAM;
        } else if (optimizer.getClass() == AdamW.class) {
            kind = Kind.ADAMW;
        } else if (optimizer.getClass() == Sgd.class) {
            kind = Kind.SGD;
        } else {
            return null;
        }
        try {
            float rescale = DjlFields.floatOf(optimizer, Optimizer.class, "rescaleGrad");
            float clip = DjlFields.floatOf(optimizer, Optimizer.class, "clipGrad");
            if (rescale != 1f || clip >= 0) {
                return null;
            }
            return new FusedOptimizer(optimizer, kind, kernels);
        } catch (IllegalStateException | ClassCastException e) {
            return null;
        }
    }

    /**
     * Updates every parameter and zeroes the gradients.
     *
     * @param ids the parameters' ids, the keys of the optimizer's state
     * @param weights the arrays to update, in the same order
     * @param params the list of those arrays
     * @param grads the list of their gradients, or {@link StepKernels#none()} for the arrays' own
     * @return true if updated; false, with nothing changed, when this step needs DJL's own update
     * @throws IllegalArgumentException if the learning rate or weight decay is NaN or infinite
     */
    public boolean update(String[] ids, NDArray[] weights, IValue params, IValue grads) {
        if (numbers.length != ids.length) {
            numbers = new int[ids.length];
            first = new NDArray[ids.length];
            second = new NDArray[ids.length];
        }
        counts.peek(ids, numbers);
        int t = numbers[0];
        float lr = tracker.getNewValue(ids[0], t);
        for (int i = 1; i < ids.length; i++) {
            if (numbers[i] != t || Float.compare(tracker.getNewValue(ids[i], t), lr) != 0) {
                return false;
            }
        }
        double[] hyper = kind == Kind.SGD ? sgdHyper(lr) : adamHyper(t, lr);
        for (int i = 0; i < weights.length; i++) {
            first[i] = state(firstState, ids[i], weights[i]);
            if (secondState != null) {
                second[i] = state(secondState, ids[i], weights[i]);
            }
        }
        counts.count(ids);
        if (kind == Kind.SGD) {
            IValue momenta = momentum == 0f ? kernels.none() : firstList.of(first);
            kernels.sgd(params, grads, momenta, hyper);
        } else {
            kernels.adam(
                    params,
                    grads,
                    firstList.of(first),
                    secondList.of(second),
                    hyper,
                    kind == Kind.ADAMW);
        }
        return true;
    }

    /**
     * DJL's Adam takes a step of {@code lr·√(1−β2^t)/(1−β1^t) · m/(√v + ε)}; PyTorch's fused kernel
     * one of {@code lr/(1−β1^t) · m/(√v/√(1−β2^t) + ε')}: the same step when {@code ε' =
     * ε/√(1−β2^t)}.
     */
    private double[] adamHyper(int t, float lr) {
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
        if (!Float.isFinite(biasCorrected) || !Float.isFinite(weightDecay) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate or weight decay is nan or infinite");
        }
        return new double[] {t, lr, beta1, beta2, weightDecay, epsilon / Math.sqrt(coef2)};
    }

    private double[] sgdHyper(float lr) {
        return new double[] {lr, weightDecay, momentum};
    }

    /** The optimizer's state array of a parameter, created as DJL creates it when missing. */
    private static NDArray state(
            Map<String, Map<Device, NDArray>> state, String id, NDArray weight) {
        Device device = weight.getDevice();
        Map<Device, NDArray> byDevice =
                state.computeIfAbsent(
                        id,
                        k -> {
                            Map<Device, NDArray> map = new ConcurrentHashMap<>();
                            NDArray zeros = weight.zerosLike();
                            zeros.detach();
                            map.put(device, zeros);
                            return map;
                        });
        return byDevice.computeIfAbsent(
                device, k -> byDevice.values().iterator().next().toDevice(device, true));
    }

    @Override
    public void close() {
        firstList.close();
        secondList.close();
    }
}
