package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * In-place operations on a step's gradients that DJL lacks: the global L2 norm, scaling, clamping
 * on both sides and zeroing (which DJL's {@code GradientCollector.zeroGradients} gets wrong for
 * NaN). Every temporary is closed before returning.
 */
public final class GradientOps {

    private static final NDIndex ALL = new NDIndex("...");

    private GradientOps() {}

    /**
     * Returns the L2 norm of all gradients together, read back with a single device sync; inf or
     * NaN when a gradient holds one.
     *
     * @param gradients the gradients
     * @return the global norm
     */
    public static float globalNorm(NDArray[] gradients) {
        NDList norms = new NDList(gradients.length);
        try {
            for (NDArray gradient : gradients) {
                norms.add(gradient.norm());
            }
            try (NDArray stacked = NDArrays.stack(norms);
                    NDArray total = stacked.norm()) {
                return total.getFloat();
            }
        } finally {
            norms.close();
        }
    }

    /**
     * Multiplies every gradient by a factor, in place.
     *
     * @param gradients the gradients
     * @param factor the factor
     */
    public static void scale(NDArray[] gradients, float factor) {
        for (NDArray gradient : gradients) {
            gradient.muli(factor);
        }
    }

    /**
     * Clamps every element of every gradient to {@code [-limit, limit]}, in place.
     *
     * @param gradients the gradients
     * @param limit the largest absolute value
     */
    public static void clampValues(NDArray[] gradients, float limit) {
        for (NDArray gradient : gradients) {
            try (NDArray clamped = gradient.clip(-limit, limit)) {
                gradient.set(ALL, clamped);
            }
        }
    }

    /**
     * Sets the gradient of every parameter to zero, NaN and inf included.
     *
     * @param parameters the parameters
     */
    public static void zero(ParameterSet parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            JniUtils.zeroGrad((PtNDArray) parameters.array(i));
        }
    }

    /**
     * Closes every array in the slots and clears them.
     *
     * @param arrays the slots
     */
    public static void close(NDArray[] arrays) {
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) {
                arrays[i].close();
                arrays[i] = null;
            }
        }
    }
}
