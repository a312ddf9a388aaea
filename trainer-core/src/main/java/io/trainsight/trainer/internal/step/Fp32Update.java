package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.trainer.clip.GradientClipping;
import io.trainsight.trainer.internal.update.FusedOptimizer;
import io.trainsight.trainer.internal.update.StepKernels;
import io.trainsight.trainer.internal.update.TensorList;

/**
 * The end of an FP32 step on one device: the correction of a short accumulation, the clipping and
 * the optimizer's update. On the {@link StepKernels} each of these is one call for all parameters
 * and the optimizer runs fused when it is DJL's Adam, AdamW or SGD; without kernels (or for another
 * optimizer) the gradients are taken one parameter at a time, as DJL does.
 */
final class Fp32Update implements AutoCloseable {

    private final Optimizer optimizer;
    private final ParameterSet parameters;
    private final GradientClipping clipping;
    private final StepKernels kernels;
    private final FusedOptimizer fused;
    private final TensorList params = new TensorList();
    private final NDArray[] gradients;

    /**
     * Creates the update.
     *
     * @param optimizer the optimizer
     * @param parameters the parameters
     * @param clipping the clipping
     * @param kernels the step kernels, or null to go parameter by parameter
     */
    Fp32Update(
            Optimizer optimizer,
            ParameterSet parameters,
            GradientClipping clipping,
            StepKernels kernels) {
        this.optimizer = optimizer;
        this.parameters = parameters;
        this.clipping = clipping;
        this.kernels = kernels;
        this.fused = kernels == null ? null : FusedOptimizer.of(optimizer, kernels);
        this.gradients = new NDArray[parameters.size()];
    }

    /** Returns whether the optimizer runs fused. */
    boolean fused() {
        return fused != null;
    }

    /**
     * Runs the backward pass of a loss for the parameters, without adding to their own gradients;
     * needs the kernels.
     *
     * @param loss the loss, computed with autograd
     * @return the gradients, for {@link #apply(float, IValue)}; close them when done
     */
    IValue backward(NDArray loss) {
        return kernels.gradients(loss, params.of(parameters.arrays()));
    }

    /**
     * Corrects, clips and applies the parameters' own gradients, then zeroes them.
     *
     * @param correction what to multiply the gradients by first (1 for a full step)
     * @return the global gradient norm before clipping, or NaN when clipping by norm is off
     */
    float apply(float correction) {
        if (kernels == null) {
            return perParameter(correction);
        }
        return apply(correction, kernels.none());
    }

    /**
     * Corrects, clips and applies gradients; the parameters' own ones ({@link StepKernels#none()})
     * are zeroed afterwards, given ones are left to the caller.
     *
     * @param correction what to multiply the gradients by first (1 for a full step)
     * @param grads a list from {@link StepKernels#gradients}, or {@link StepKernels#none()}
     * @return the global gradient norm before clipping, or NaN when clipping by norm is off
     */
    float apply(float correction, IValue grads) {
        IValue list = params.of(parameters.arrays());
        if (correction != 1f) {
            kernels.scale(list, grads, correction);
        }
        float norm = clipping.clipsNorm() ? kernels.norm(list, grads) : Float.NaN;
        float factor = clipping.normFactor(norm);
        if (factor < 1f) {
            kernels.scale(list, grads, factor);
        }
        if (clipping.clipsValue()) {
            kernels.clamp(list, grads, clipping.maxValue());
        }
        if (fused == null || !fused.update(parameters.ids(), parameters.arrays(), list, grads)) {
            if (grads == kernels.none()) {
                parameters.gradients(gradients);
            } else {
                StepKernels.toArrays(grads, gradients, parameters.array(0).getManager());
            }
            try {
                update();
            } finally {
                GradientOps.close(gradients);
            }
        }
        return norm;
    }

    private float perParameter(float correction) {
        parameters.gradients(gradients);
        try {
            if (correction != 1f) {
                GradientOps.scale(gradients, correction);
            }
            float norm = clipping.clipsNorm() ? GradientOps.globalNorm(gradients) : Float.NaN;
            float factor = clipping.normFactor(norm);
            if (factor < 1f) {
                GradientOps.scale(gradients, factor);
            }
            if (clipping.clipsValue()) {
                GradientOps.clampValues(gradients, clipping.maxValue());
            }
            update();
            return norm;
        } finally {
            GradientOps.close(gradients);
        }
    }

    /** DJL's update, parameter by parameter; the optimizer zeroes each gradient. */
    private void update() {
        for (int i = 0; i < gradients.length; i++) {
            optimizer.update(parameters.id(i), parameters.array(i), gradients[i]);
        }
    }

    @Override
    public void close() {
        params.close();
        if (fused != null) {
            fused.close();
        }
    }
}
