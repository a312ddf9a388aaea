package io.trainsight.trainer.internal.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Lays image batches out channels-last: the same shape {@code (N, C, H, W)} and values, with the
 * channels of each pixel next to each other in memory (NHWC), as {@code
 * x.contiguous(memory_format=torch.channels_last)} does in PyTorch. libtorch recognises the layout
 * from the strides; a convolution given such an input answers in the same layout, and so do the
 * activations and pooling after it, through the backward pass too. The arrays in between are
 * closed; the memory they share stays with the array returned.
 */
final class ChannelsLast {

    private ChannelsLast() {}

    /**
     * Returns the inputs with every array of four dimensions laid out channels-last; the others as
     * they are. New arrays belong to the manager of the array they come from.
     *
     * @param data the inputs
     * @return the inputs to run the model on
     */
    static NDList apply(NDList data) {
        NDList out = new NDList(data.size());
        for (NDArray array : data) {
            out.add(array.getShape().dimension() == 4 ? of(array) : array);
        }
        return out;
    }

    /**
     * Copies an array of shape {@code (N, C, H, W)} into NHWC order and views the copy as {@code
     * (N, C, H, W)} again: permuting a row-major NHWC array back gives the channels-last strides.
     */
    static NDArray of(NDArray array) {
        long[] s = array.getShape().getShape();
        NDArray nhwc = array.transpose(0, 2, 3, 1); // a view
        NDArray flat = nhwc.reshape(-1); // the one copy, in NHWC order (a view when C or HW is 1)
        NDArray rows = flat.reshape(s[0], s[2], s[3], s[1]);
        NDArray viewed = rows.transpose(0, 3, 1, 2);
        // The handles of the steps between; the memory stays with the view returned.
        nhwc.close();
        flat.close();
        rows.close();
        return viewed;
    }
}
