package io.trainsight.gpu;

/**
 * What stays the same about one GPU while it is sampled.
 *
 * @param index the index of the GPU in the monitor, from 0 (NVML's index for the NVML probe)
 * @param name the product name, such as {@code NVIDIA H100 80GB HBM3}
 * @param uuid the GPU's UUID, such as {@code GPU-5e7b…}
 * @param pciBusId the GPU's PCI address as NVML writes it ({@code 00000000:3B:00.0}); empty when
 *     unknown
 */
public record DeviceInfo(int index, String name, String uuid, String pciBusId) {

    /**
     * A GPU whose PCI address is not known.
     *
     * @param index the index of the GPU in the monitor
     * @param name the product name
     * @param uuid the GPU's UUID
     */
    public DeviceInfo(int index, String name, String uuid) {
        this(index, name, uuid, "");
    }
}
