package io.trainsight.trainer.internal.amp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.trainer.internal.step.GradientOps;
import io.trainsight.trainer.internal.step.ParameterSet;

/**
 * FP32 master copies of FP16 working weights. The optimizer updates the masters with FP32
 * gradients; the working weights the model computes with are then overwritten with the rounded
 * masters, so small updates accumulate instead of vanishing in FP16.
 *
 * <p>DJL's {@code toType} is not differentiable, so the cast cannot live inside the forward pass:
 * the masters live beside the model, outside autograd.
 */
public final class MasterWeights implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex("...");

    private final ParameterSet parameters;
    private final NDArray[] masters;
    private final NDArray[] gradients;
    private final NDArray[] masterGradients;

    /**
     * Copies the current working weights to FP32 masters.
     *
     * @param parameters the FP16 parameters of the model
     */
    public MasterWeights(ParameterSet parameters) {
        this.parameters = parameters;
        int n = parameters.size();
        masters = new NDArray[n];
        gradients = new NDArray[n];
        masterGradients = new NDArray[n];
        for (int i = 0; i < n; i++) {
            masters[i] = parameters.array(i).toType(DataType.FLOAT32, true);
            masters[i].detach();
        }
    }

    /**
     * Returns the FP32 master of a parameter.
     *
     * @param i the parameter's index in the set
     * @return the master array
     */
    public NDArray master(int i) {
        return masters[i];
    }

    /**
     * Copies the FP16 gradients to FP32 and divides them by the loss scale.
     *
     * @param factor what to multiply the gradients by: 1 / loss scale, times any correction
     * @return the FP32 gradients, valid until {@link #finishStep()}
     */
    public NDArray[] unscaledGradients(float factor) {
        parameters.gradients(gradients);
        for (int i = 0; i < gradients.length; i++) {
            masterGradients[i] = gradients[i].toType(DataType.FLOAT32, true);
            masterGradients[i].muli(factor);
        }
        return masterGradients;
    }

    /**
     * Steps the optimizer on the masters and copies them into the working weights.
     *
     * @param optimizer the optimizer
     */
    public void update(Optimizer optimizer) {
        for (int i = 0; i < masters.length; i++) {
            optimizer.update(parameters.id(i), masters[i], masterGradients[i]);
            parameters.array(i).set(ALL, masters[i]);
        }
    }

    /** Zeroes the FP16 gradients and frees the step's temporaries. */
    public void finishStep() {
        GradientOps.zero(parameters);
        GradientOps.close(gradients);
        GradientOps.close(masterGradients);
    }

    /**
     * Replaces the masters with saved values and the working weights with their rounding.
     *
     * @param saved the saved masters, in the set's order
     */
    public void restore(NDArray[] saved) {
        for (int i = 0; i < masters.length; i++) {
            masters[i].set(ALL, saved[i]);
            parameters.array(i).set(ALL, masters[i]);
        }
    }

    @Override
    public void close() {
        GradientOps.close(gradients);
        GradientOps.close(masterGradients);
        GradientOps.close(masters);
    }
}
