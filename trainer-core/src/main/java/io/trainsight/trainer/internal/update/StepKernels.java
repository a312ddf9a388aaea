package io.trainsight.trainer.internal.update;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The per-step operations on all parameters at once, as one call into libtorch each instead of one
 * (or several) per parameter: scaling, clamping and zeroing the gradients, their global norm, and
 * the whole optimizer update on PyTorch's fused multi-tensor kernels ({@code _fused_adam_}, {@code
 * _foreach_*}). They are the methods of a small TorchScript module, compiled by libtorch from
 * source when it is loaded; they run without autograd.
 *
 * <p>The gradients they act on are either the parameters' own, where a backward pass left them
 * ({@link #none()}), or a list from {@link #gradients}: the backward pass run for the parameters
 * alone, its results handed over instead of added to the parameters' gradients. The second saves a
 * step what the first costs in memory traffic: zeroing every gradient after the update, and reading
 * and writing it again when the next backward pass adds to it.
 */
public final class StepKernels implements AutoCloseable {

    private static final String CLASS_NAME = "StepKernels";

    private final PtSymbolBlock module;
    private final PtNDManager manager;
    private final IValue empty;

    private StepKernels(PtSymbolBlock module, PtNDManager manager) {
        this.module = module;
        this.manager = manager;
        this.empty = IValue.listFrom(new PtNDArray[0]);
    }

    /**
     * Compiles the kernels.
     *
     * @param parent a PyTorch manager; the kernels get a manager of their own under it
     * @return the kernels; close them when done
     * @throws IllegalStateException if the manager is not PyTorch's or libtorch cannot compile them
     */
    public static StepKernels load(NDManager parent) {
        TorchScriptArchive.Loaded loaded =
                TorchScriptArchive.load(parent, CLASS_NAME, source(), "the step kernels");
        return new StepKernels(loaded.module(), loaded.manager());
    }

    private static String source() {
        try (InputStream in = StepKernels.class.getResourceAsStream(CLASS_NAME + ".py")) {
            if (in == null) {
                throw new IllegalStateException(CLASS_NAME + ".py is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the empty list: "the parameters' own gradients" to the methods that take some. */
    public IValue none() {
        return empty;
    }

    /**
     * Runs the backward pass of a loss for the parameters and returns their gradients, leaving the
     * parameters' own gradients as they were; a parameter the loss does not depend on gets zeros.
     *
     * @param loss a scalar computed with autograd
     * @param params the parameters
     * @return the gradients, in the parameters' order; close the list when done
     */
    public IValue gradients(NDArray loss, IValue params) {
        try (IValue value = IValue.from((PtNDArray) loss)) {
            return IValueUtils.runMethod(module, "gradients", value, params);
        }
    }

    /**
     * Returns a list of gradients as arrays of a manager, for an update that goes through DJL.
     *
     * @param grads a list from {@link #gradients}
     * @param into where to put the arrays, one per gradient
     * @param owner the manager the arrays belong to; close them when done
     */
    public static void toArrays(IValue grads, NDArray[] into, NDManager owner) {
        IValue[] values = grads.toIValueArray();
        try {
            for (int i = 0; i < values.length; i++) {
                into[i] = values[i].toTensor((PtNDManager) owner);
            }
        } finally {
            for (IValue value : values) {
                value.close();
            }
        }
    }

    /**
     * Multiplies every gradient by a factor, in place.
     *
     * @param params the parameters
     * @param grads their gradients, or {@link #none()} for the parameters' own
     * @param factor the factor
     */
    public void scale(IValue params, IValue grads, float factor) {
        try (IValue value = IValue.from((double) factor)) {
            call("scale", params, grads, value);
        }
    }

    /**
     * Clamps every element of every gradient to {@code [-limit, limit]}, in place.
     *
     * @param params the parameters
     * @param grads their gradients, or {@link #none()} for the parameters' own
     * @param limit the largest absolute value
     */
    public void clamp(IValue params, IValue grads, float limit) {
        try (IValue value = IValue.from((double) limit)) {
            call("clamp", params, grads, value);
        }
    }

    /**
     * Sets the gradients to zero, NaN and inf included; a parameter without one is skipped.
     *
     * @param params the parameters
     */
    public void zero(IValue params) {
        call("zero", params);
    }

    /**
     * Returns the L2 norm of the gradients together, read back with one device sync; inf or NaN
     * when a gradient holds one.
     *
     * @param params the parameters
     * @param grads their gradients, or {@link #none()} for the parameters' own
     * @return the global norm
     */
    public float norm(IValue params, IValue grads) {
        try (IValue result = IValueUtils.runMethod(module, "norm", params, grads);
                NDArray norm = result.toTensor(manager)) {
            return norm.toFloatArray()[0];
        }
    }

    /**
     * Adam or AdamW on every parameter at once (PyTorch's fused kernel), then zeroes the
     * parameters' own gradients (given ones are left as they are).
     *
     * @param params the parameters, updated in place
     * @param grads their gradients, or {@link #none()} for the parameters' own
     * @param means the first moments, updated in place
     * @param variances the second moments, updated in place
     * @param hyper the step, learning rate, beta1, beta2, weight decay and epsilon
     * @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 term
     */
    public void adam(
            IValue params,
            IValue grads,
            IValue means,
            IValue variances,
            double[] hyper,
            boolean decoupled) {
        try (IValue values = IValue.listFrom(hyper);
                IValue adamw = IValue.from(decoupled)) {
            call("adam", params, grads, means, variances, values, adamw);
        }
    }

    /**
     * DJL's SGD on every parameter at once, operation for operation, then zeroes the parameters'
     * own gradients (given ones are left changed: they hold the step taken).
     *
     * @param params the parameters, updated in place
     * @param grads their gradients, or {@link #none()} for the parameters' own
     * @param momenta the momentum states, updated in place, or {@link #none()} without momentum
     * @param hyper the learning rate, weight decay and momentum
     */
    public void sgd(IValue params, IValue grads, IValue momenta, double[] hyper) {
        try (IValue values = IValue.listFrom(hyper)) {
            call("sgd", params, grads, momenta, values);
        }
    }

    private void call(String method, IValue... inputs) {
        IValueUtils.runMethod(module, method, inputs).close();
    }

    @Override
    public void close() {
        empty.close();
        module.close();
        manager.close();
    }
}
