package io.trainsight.data.internal.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;

/**
 * How samples become a batch: the per-sample pipelines, the batchifiers that stack them (DJL's
 * collate functions), and the device the batch is moved to once built.
 *
 * @param dataBatchifier collates the samples' data
 * @param labelBatchifier collates the samples' labels
 * @param pipeline transforms each sample's data before collation, or {@code null}
 * @param targetPipeline transforms each sample's labels before collation, or {@code null}
 * @param device where a built batch is moved, or {@code null} to leave it where it was built
 */
public record Collation(
        Batchifier dataBatchifier,
        Batchifier labelBatchifier,
        Pipeline pipeline,
        Pipeline targetPipeline,
        Device device) {

    /**
     * Moves a batch's arrays to the device, closing the originals that were copied.
     *
     * @param list the arrays
     * @return the arrays on the device; the same list when there is no device to move to
     */
    public NDList toDevice(NDList list) {
        if (device == null || onDevice(list)) {
            return list;
        }
        NDList moved = list.toDevice(device, false);
        for (int i = 0; i < list.size(); i++) {
            if (moved.get(i) != list.get(i)) {
                list.get(i).close();
            }
        }
        return moved;
    }

    private boolean onDevice(NDList list) {
        for (NDArray array : list) {
            if (!array.getDevice().equals(device)) {
                return false;
            }
        }
        return true;
    }
}
