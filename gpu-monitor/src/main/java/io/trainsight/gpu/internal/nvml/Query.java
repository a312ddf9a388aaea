package io.trainsight.gpu.internal.nvml;

/** The NVML queries made every tick, each remembered per GPU as supported or not. */
enum Query {
    UTILIZATION("nvmlDeviceGetUtilizationRates"),
    MEMORY("nvmlDeviceGetMemoryInfo"),
    TEMPERATURE("nvmlDeviceGetTemperature"),
    POWER_USAGE("nvmlDeviceGetPowerUsage"),
    POWER_LIMIT("nvmlDeviceGetEnforcedPowerLimit"),
    ENERGY("nvmlDeviceGetTotalEnergyConsumption"),
    CLOCK_SM("nvmlDeviceGetClockInfo(SM)"),
    CLOCK_MEMORY("nvmlDeviceGetClockInfo(MEM)"),
    CLOCK_SM_MAX("nvmlDeviceGetMaxClockInfo(SM)"),
    CLOCK_MEMORY_MAX("nvmlDeviceGetMaxClockInfo(MEM)"),
    CLOCK_EVENT_REASONS("nvmlDeviceGetCurrentClocksEventReasons"),
    PCIE_TX("nvmlDeviceGetPcieThroughput(TX)"),
    PCIE_RX("nvmlDeviceGetPcieThroughput(RX)"),
    PROCESSES("nvmlDeviceGetComputeRunningProcesses"),
    PROCESS_UTILIZATION("nvmlDeviceGetProcessUtilization");

    /** NVML's clock types and PCIe counters. */
    static final int CLOCK_TYPE_SM = 1;

    static final int CLOCK_TYPE_MEMORY = 2;
    static final int PCIE_TX_BYTES = 0;
    static final int PCIE_RX_BYTES = 1;

    private final String call;

    Query(String call) {
        this.call = call;
    }

    /**
     * Returns the NVML call, as named in events.
     *
     * @return the symbol, with the argument that tells the metric apart where it is shared
     */
    String call() {
        return call;
    }
}
