package io.trainsight.gpu;

/**
 * The versions of the GPU driver and of its management library.
 *
 * @param driverVersion the driver's version, such as {@code 550.54.15}
 * @param nvmlVersion NVML's version, such as {@code 12.550.54.15}; empty when unknown
 */
public record DriverInfo(String driverVersion, String nvmlVersion) {}
