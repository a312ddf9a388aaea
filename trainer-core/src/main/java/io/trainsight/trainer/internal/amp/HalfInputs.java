package io.trainsight.trainer.internal.amp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** Casts a batch's floating-point inputs to FP16 for a model with FP16 weights. */
public final class HalfInputs {

    private HalfInputs() {}

    /**
     * Casts the floating-point arrays of a list to FP16; integer arrays (indices, token ids) stay
     * as they are. Inputs need no gradient, so DJL's non-differentiable cast is fine here.
     *
     * @param data the inputs
     * @return the inputs in FP16, attached to the inputs' managers
     */
    public static NDList cast(NDList data) {
        NDList half = new NDList(data.size());
        for (NDArray array : data) {
            half.add(
                    array.getDataType().isFloating()
                            ? array.toType(DataType.FLOAT16, false)
                            : array);
        }
        return half;
    }
}
