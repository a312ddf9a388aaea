package io.trainsight.trainer.internal.update;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * For tests: asks libtorch how an array is laid out in memory, which DJL does not expose, through a
 * one-method TorchScript module compiled from source.
 */
public final class LayoutProbe implements AutoCloseable {

    private static final String SOURCE =
            "class LayoutProbe(Module):\n"
                    + "  __parameters__ = []\n"
                    + "  __buffers__ = []\n"
                    + "  training : bool\n"
                    + "  def channels_last(self: __torch__.LayoutProbe, x: Tensor) -> bool:\n"
                    // 2 is torch.channels_last. With one channel a row-major array passes that
                    // test too; libtorch takes the layout from the strides, as the second test
                    + "    return x.is_contiguous(memory_format=2) and x.stride(1) == 1\n";

    private final PtNDManager manager;
    private final PtSymbolBlock module;

    /**
     * Compiles the probe.
     *
     * @param parent a PyTorch manager
     */
    public LayoutProbe(NDManager parent) {
        TorchScriptArchive.Loaded loaded =
                TorchScriptArchive.load(parent, "LayoutProbe", SOURCE, "the layout probe");
        module = loaded.module();
        manager = loaded.manager();
    }

    /**
     * Returns whether an array is laid out channels-last, with the channels' stride 1, which is how
     * libtorch's kernels tell the layout from the strides.
     *
     * @param array an array of four dimensions
     * @return true when its elements lie in NHWC order
     */
    public boolean channelsLast(NDArray array) {
        try (IValue input = IValue.from((PtNDArray) array);
                IValue answer = IValueUtils.runMethod(module, "channels_last", input)) {
            return answer.toBoolean();
        }
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }
}
