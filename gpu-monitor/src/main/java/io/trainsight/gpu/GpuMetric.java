package io.trainsight.gpu;

/**
 * The numbers sampled for every GPU, each stored as a {@code long} in NVML's own unit. A metric the
 * GPU cannot give in a tick is {@link SampleRing#ABSENT} there.
 */
public enum GpuMetric {
    /** Percent of the last sample period during which a kernel ran (NVML utilization.gpu). */
    UTILIZATION_GPU("utilization_gpu_percent", "percent"),
    /** Percent of the last sample period during which device memory was read or written. */
    UTILIZATION_MEMORY("utilization_memory_percent", "percent"),
    /** Total device memory, bytes. */
    MEMORY_TOTAL("memory_total_bytes", "bytes"),
    /** Memory the driver reserves, bytes; only from {@code nvmlDeviceGetMemoryInfo_v2}. */
    MEMORY_RESERVED("memory_reserved_bytes", "bytes"),
    /** Free device memory, bytes. */
    MEMORY_FREE("memory_free_bytes", "bytes"),
    /** Used device memory, bytes (with the v1 call it includes the reserved memory). */
    MEMORY_USED("memory_used_bytes", "bytes"),
    /** GPU die temperature, degrees Celsius. */
    TEMPERATURE("temperature_celsius", "celsius"),
    /** Power draw, milliwatts (a 1 s average on Ampere and newer). */
    POWER_USAGE("power_usage_milliwatts", "milliwatts"),
    /** The enforced power limit, milliwatts. */
    POWER_LIMIT("power_limit_milliwatts", "milliwatts"),
    /** Energy used since the driver was loaded, millijoules (Volta and newer). */
    ENERGY("energy_millijoules", "millijoules"),
    /** Current SM clock, MHz. */
    CLOCK_SM("clock_sm_mhz", "megahertz"),
    /** Maximum SM clock, MHz. */
    CLOCK_SM_MAX("clock_sm_max_mhz", "megahertz"),
    /** Current memory clock, MHz. */
    CLOCK_MEMORY("clock_memory_mhz", "megahertz"),
    /** Maximum memory clock, MHz. */
    CLOCK_MEMORY_MAX("clock_memory_max_mhz", "megahertz"),
    /** The active clock-event (throttle) reasons as NVML's bit mask; see {@link ThrottleReason}. */
    THROTTLE_REASONS("throttle_reasons_mask", "bitmask"),
    /** PCIe transmit throughput, KB/s, measured by NVML over 20 ms. */
    PCIE_TX("pcie_tx_kilobytes_per_second", "kilobytes per second"),
    /** PCIe receive throughput, KB/s, measured by NVML over 20 ms. */
    PCIE_RX("pcie_rx_kilobytes_per_second", "kilobytes per second"),
    /**
     * The device memory of the monitoring process itself, bytes (NVML's per-process {@code
     * usedGpuMemory}); absent when its PID is not among the GPU's compute processes (it has not
     * touched the GPU, or runs in a container, where NVML shows host PIDs).
     */
    PROCESS_MEMORY("process_memory_used_bytes", "bytes"),
    /** The device memory of every other compute process on the GPU, summed, bytes. */
    OTHER_PROCESSES_MEMORY("other_processes_memory_bytes", "bytes"),
    /** The number of other compute processes on the GPU. */
    OTHER_PROCESSES("other_processes", "processes"),
    /**
     * The highest SM utilisation of another process over the last process-utilisation read (about a
     * second), percent; absent where NVML does not offer per-process utilisation.
     */
    OTHER_PROCESSES_SM("other_processes_sm_percent", "percent");

    private final String jsonName;
    private final String unit;

    GpuMetric(String jsonName, String unit) {
        this.jsonName = jsonName;
        this.unit = unit;
    }

    /**
     * Returns the field name of this metric in the JSON output.
     *
     * @return a lowercase name that ends with the unit
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Returns the unit of the stored value.
     *
     * @return the unit, in words
     */
    public String unit() {
        return unit;
    }
}
