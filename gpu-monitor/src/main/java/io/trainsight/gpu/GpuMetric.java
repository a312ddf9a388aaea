package io.trainsight.gpu;

/**
 * The numbers sampled for every GPU, each stored as a {@code long} in NVML's own unit. A metric the
 * GPU cannot give in a tick is {@link SampleRing#ABSENT} there.
 *
 * <p>Each metric also says how it is published as a meter (by {@code
 * io.trainsight.gpu.metrics.GpuMetrics}): a lowercase dot-separated {@link #meterName()}, a base
 * unit ({@link #baseUnit()}, the stored value times {@link #toBaseUnit(long)}'s factor) and a
 * {@link #description()}. {@link #ENERGY} is a counter, {@link #THROTTLE_REASONS} one gauge per
 * {@link ThrottleReason}; the others are gauges.
 */
public enum GpuMetric {
    /** Percent of the last sample period during which a kernel ran (NVML utilization.gpu). */
    UTILIZATION_GPU(
            "utilization_gpu_percent",
            "percent",
            "gpu.utilization",
            Units.PERCENT,
            1,
            "Percent of the last sample period in which a kernel ran"),
    /** Percent of the last sample period during which device memory was read or written. */
    UTILIZATION_MEMORY(
            "utilization_memory_percent",
            "percent",
            "gpu.memory.utilization",
            Units.PERCENT,
            1,
            "Percent of the last sample period in which memory was read or written"),
    /** Total device memory, bytes. */
    MEMORY_TOTAL(
            "memory_total_bytes",
            "bytes",
            "gpu.memory.total",
            Units.BYTES,
            1,
            "Device memory in all"),
    /** Memory the driver reserves, bytes; only from {@code nvmlDeviceGetMemoryInfo_v2}. */
    MEMORY_RESERVED(
            "memory_reserved_bytes",
            "bytes",
            "gpu.memory.reserved",
            Units.BYTES,
            1,
            "Device memory the driver reserves"),
    /** Free device memory, bytes. */
    MEMORY_FREE(
            "memory_free_bytes", "bytes", "gpu.memory.free", Units.BYTES, 1, "Device memory free"),
    /** Used device memory, bytes (with the v1 call it includes the reserved memory). */
    MEMORY_USED(
            "memory_used_bytes",
            "bytes",
            "gpu.memory.used",
            Units.BYTES,
            1,
            "Device memory in use"),
    /** GPU die temperature, degrees Celsius. */
    TEMPERATURE(
            "temperature_celsius",
            "celsius",
            "gpu.temperature",
            Units.CELSIUS,
            1,
            "GPU temperature"),
    /** Power draw, milliwatts (a 1 s average on Ampere and newer). */
    POWER_USAGE(
            "power_usage_milliwatts",
            "milliwatts",
            "gpu.power.usage",
            Units.WATTS,
            1e-3,
            "Power draw (a 1 s average on Ampere and newer)"),
    /** The enforced power limit, milliwatts. */
    POWER_LIMIT(
            "power_limit_milliwatts",
            "milliwatts",
            "gpu.power.limit",
            Units.WATTS,
            1e-3,
            "Enforced power limit"),
    /** Energy used since the driver was loaded, millijoules (Volta and newer). */
    ENERGY(
            "energy_millijoules",
            "millijoules",
            "gpu.energy",
            Units.JOULES,
            1e-3,
            "Energy used since the driver was loaded (Volta and newer)"),
    /** Current SM clock, MHz. */
    CLOCK_SM("clock_sm_mhz", "megahertz", "gpu.clock.sm", Units.HERTZ, 1e6, "Current SM clock"),
    /** Maximum SM clock, MHz. */
    CLOCK_SM_MAX(
            "clock_sm_max_mhz",
            "megahertz",
            "gpu.clock.sm.max",
            Units.HERTZ,
            1e6,
            "Maximum SM clock"),
    /** Current memory clock, MHz. */
    CLOCK_MEMORY(
            "clock_memory_mhz",
            "megahertz",
            "gpu.clock.memory",
            Units.HERTZ,
            1e6,
            "Current memory clock"),
    /** Maximum memory clock, MHz. */
    CLOCK_MEMORY_MAX(
            "clock_memory_max_mhz",
            "megahertz",
            "gpu.clock.memory.max",
            Units.HERTZ,
            1e6,
            "Maximum memory clock"),
    /** The active clock-event (throttle) reasons as NVML's bit mask; see {@link ThrottleReason}. */
    THROTTLE_REASONS(
            "throttle_reasons_mask",
            "bitmask",
            "gpu.throttle.active",
            null,
            1,
            "1 while the clock-event (throttle) reason is active, else 0"),
    /** PCIe transmit throughput, KB/s, measured by NVML over 20 ms. */
    PCIE_TX(
            "pcie_tx_kilobytes_per_second",
            "kilobytes per second",
            "gpu.pcie.tx",
            Units.BYTES_PER_SECOND,
            1024,
            "PCIe transmit throughput"),
    /** PCIe receive throughput, KB/s, measured by NVML over 20 ms. */
    PCIE_RX(
            "pcie_rx_kilobytes_per_second",
            "kilobytes per second",
            "gpu.pcie.rx",
            Units.BYTES_PER_SECOND,
            1024,
            "PCIe receive throughput");

    private final String jsonName;
    private final String unit;
    private final String meterName;
    private final String baseUnit;
    private final double toBase;
    private final String description;

    GpuMetric(
            String jsonName,
            String unit,
            String meterName,
            String baseUnit,
            double toBase,
            String description) {
        this.jsonName = jsonName;
        this.unit = unit;
        this.meterName = meterName;
        this.baseUnit = baseUnit;
        this.toBase = toBase;
        this.description = description;
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

    /**
     * Returns the name of the meter that publishes this metric.
     *
     * @return a lowercase, dot-separated name such as {@code gpu.memory.used}
     */
    public String meterName() {
        return meterName;
    }

    /**
     * Returns the unit the meter publishes in (Micrometer's base unit).
     *
     * @return such as {@code bytes}, {@code watts}, {@code hertz}; null for the throttle reasons,
     *     which are 1 or 0
     */
    public String baseUnit() {
        return baseUnit;
    }

    /**
     * Converts a stored value to the meter's base unit: milliwatts to watts, MHz to hertz, KB/s to
     * bytes per second.
     *
     * @param stored the stored value, not {@link SampleRing#ABSENT}
     * @return the value in {@link #baseUnit()}
     */
    public double toBaseUnit(long stored) {
        return stored * toBase;
    }

    /**
     * Returns what the meter measures, for its description.
     *
     * @return one sentence without a final period
     */
    public String description() {
        return description;
    }

    /** Micrometer's spellings of the base units (its {@code BaseUnits} lacks a few). */
    private static final class Units {
        static final String PERCENT = "percent";
        static final String BYTES = "bytes";
        static final String CELSIUS = "celsius";
        static final String WATTS = "watts";
        static final String JOULES = "joules";
        static final String HERTZ = "hertz";
        static final String BYTES_PER_SECOND = "bytes.per.second";

        private Units() {}
    }
}
