package io.trainsight.gpu;

/**
 * What stays the same about one GPU while it is sampled.
 *
 * @param index the index of the GPU in the monitor, from 0 (NVML's index for the NVML probe)
 * @param name the product name, such as {@code NVIDIA H100 80GB HBM3}
 * @param uuid the GPU's UUID, such as {@code GPU-5e7b…}
 */
public record DeviceInfo(int index, String name, String uuid) {}
