package io.trainsight.trainer.internal.update;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;

/**
 * A list of tensors handed to TorchScript as one value, kept from step to step: the list holds the
 * tensors themselves, so in-place updates reach the arrays, and it is rebuilt only when one of the
 * arrays is replaced by another.
 */
public final class TensorList implements AutoCloseable {

    private NDArray[] arrays = new NDArray[0];
    private IValue value;

    /**
     * Returns the list of these arrays, the kept one when they are the same arrays as last time.
     *
     * @param current the arrays, PyTorch ones
     * @return the list, valid until the next call or {@link #close()}
     */
    public IValue of(NDArray[] current) {
        if (value == null || !same(current)) {
            close();
            PtNDArray[] tensors = new PtNDArray[current.length];
            for (int i = 0; i < current.length; i++) {
                tensors[i] = (PtNDArray) current[i];
            }
            value = IValue.listFrom(tensors);
            arrays = current.clone();
        }
        return value;
    }

    private boolean same(NDArray[] current) {
        if (current.length != arrays.length) {
            return false;
        }
        for (int i = 0; i < current.length; i++) {
            if (current[i] != arrays[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (value != null) {
            value.close();
            value = null;
        }
        arrays = new NDArray[0];
    }
}
