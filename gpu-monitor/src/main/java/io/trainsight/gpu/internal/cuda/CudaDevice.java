package io.trainsight.gpu.internal.cuda;

/**
 * A GPU as CUDA numbers it for this process.
 *
 * @param ordinal the CUDA device ordinal ({@code cuda:0} …): among the devices {@code
 *     CUDA_VISIBLE_DEVICES} leaves, in {@code CUDA_DEVICE_ORDER}
 * @param name the product name
 * @param uuid the UUID as NVML writes it, {@code GPU-xxxxxxxx-…}; empty when the driver cannot tell
 * @param pciBusId the PCI address as the driver writes it, such as {@code 0000:3b:00.0}
 */
public record CudaDevice(int ordinal, String name, String uuid, String pciBusId) {}
