package io.trainsight.gpu;

/**
 * The versions of the GPU driver and of its management library.
 *
 * @param driverVersion the driver's version, such as {@code 550.54.15}
 * @param nvmlVersion NVML's version, such as {@code 12.550.54.15}; empty when unknown
 * @param cudaVersion the newest CUDA version the driver supports, such as {@code 12.4}; empty when
 *     unknown
 */
public record DriverInfo(String driverVersion, String nvmlVersion, String cudaVersion) {

    /**
     * Versions without the CUDA version.
     *
     * @param driverVersion the driver's version
     * @param nvmlVersion NVML's version
     */
    public DriverInfo(String driverVersion, String nvmlVersion) {
        this(driverVersion, nvmlVersion, "");
    }

    /**
     * Writes a CUDA version as NVML and the CUDA driver give it, {@code 1000 * major + 10 * minor}.
     *
     * @param version such as 12040
     * @return such as {@code 12.4}; empty for zero or less
     */
    public static String cudaVersion(int version) {
        return version <= 0 ? "" : version / 1000 + "." + (version % 1000) / 10;
    }
}
