package io.trainsight.trainer;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Locale;

/**
 * How the loop lays out image batches (inputs of four dimensions: batch, channels, height, width)
 * in memory before the forward pass. The model sees the same shape and the same values either way;
 * what changes is the order of the elements in memory, and with it the kernels libtorch runs for
 * convolutions, pooling and their gradients.
 */
public enum MemoryFormat {
    /**
     * Channels-last when the model has a 2-D convolution and trains on the CPU; as loaded
     * otherwise. The default.
     */
    AUTO,
    /**
     * Channels-last: the channels of a pixel next to each other in memory (NHWC), as PyTorch's
     * {@code torch.channels_last}. libtorch's CPU kernels for convolution and pooling run across
     * the channels in this layout; its default-layout max pooling does not vectorize.
     */
    CHANNELS_LAST,
    /**
     * As loaded: row-major, channels outermost (NCHW), PyTorch's {@code torch.contiguous_format}.
     */
    CONTIGUOUS;

    /**
     * Reads a format from its name, in any case.
     *
     * @param name {@code auto}, {@code channels-last} or {@code contiguous}
     * @return the format
     * @throws IllegalArgumentException naming the valid values
     */
    public static MemoryFormat of(String name) {
        for (MemoryFormat format : values()) {
            if (format.toString().equalsIgnoreCase(name.strip().replace('_', '-'))) {
                return format;
            }
        }
        throw new IllegalArgumentException(
                "'" + name + "' is not a memory format; valid: auto, channels-last, contiguous");
    }

    /**
     * Decides whether image batches go channels-last for a model.
     *
     * @param block the model's block
     * @param devices the devices it trains on
     * @return true for channels-last
     */
    boolean channelsLast(Block block, Device[] devices) {
        return switch (this) {
            case CHANNELS_LAST -> true;
            case CONTIGUOUS -> false;
            case AUTO -> onCpu(devices) && hasConvolution(block);
        };
    }

    /**
     * Says what was decided and why, for the log.
     *
     * @param block the model's block
     * @param devices the devices it trains on
     * @return one line
     */
    String describe(Block block, Device[] devices) {
        boolean chosen = channelsLast(block, devices);
        String layout = chosen ? "channels-last" : "contiguous, as loaded";
        if (this != AUTO) {
            return "Image batches: " + layout + " (set with optMemoryFormat or --memory-format)";
        }
        String why =
                !hasConvolution(block)
                        ? "the model has no 2-D convolution"
                        : chosen
                                ? "a 2-D convolution on the CPU, where libtorch's convolution and"
                                        + " pooling kernels run faster in that layout;"
                                        + " --memory-format contiguous keeps them as loaded"
                                : "a GPU keeps the layout cuDNN is given; --memory-format"
                                        + " channels-last to try it";
        return "Image batches: " + layout + " (" + why + ")";
    }

    private static boolean onCpu(Device[] devices) {
        for (Device device : devices) {
            if (!Device.Type.CPU.equals(device.getDeviceType())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasConvolution(Block block) {
        if (block instanceof Conv2d) {
            return true;
        }
        for (Block child : block.getChildren().values()) {
            if (hasConvolution(child)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
