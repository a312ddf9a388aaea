package io.trainsight.gpu.internal.nvml;

/**
 * The layouts of the NVML structs the binding reads, as byte offsets (x86-64 and aarch64: natural
 * alignment, {@code unsigned int} 4 bytes, {@code unsigned long long} 8). The binding reads them
 * from preallocated native buffers instead of JNA {@code Structure}s, so a tick allocates nothing.
 */
final class NvmlStructs {

    /** {@code nvmlUtilization_t { uint gpu; uint memory; }}, 8 bytes. */
    static final int UTILIZATION_GPU = 0;

    static final int UTILIZATION_MEMORY = 4;

    /** {@code nvmlMemory_t { ull total; ull free; ull used; }}, 24 bytes. */
    static final int MEMORY_V1_TOTAL = 0;

    static final int MEMORY_V1_FREE = 8;
    static final int MEMORY_V1_USED = 16;

    /**
     * {@code nvmlMemory_v2_t { uint version; (4 bytes padding) ull total; ull reserved; ull free;
     * ull used; }}, 40 bytes.
     */
    static final int MEMORY_V2_VERSION = 0;

    static final int MEMORY_V2_TOTAL = 8;
    static final int MEMORY_V2_RESERVED = 16;
    static final int MEMORY_V2_FREE = 24;
    static final int MEMORY_V2_USED = 32;

    /** {@code nvmlMemory_v2}: the struct size with version 2 in the top byte. */
    static final int MEMORY_V2_VERSION_VALUE = 40 | (2 << 24);

    /**
     * {@code nvmlTemperature_t { uint version; nvmlTemperatureSensors_t sensorType; int
     * temperature; }}, 12 bytes.
     */
    static final int TEMPERATURE_V1_VERSION = 0;

    static final int TEMPERATURE_V1_SENSOR = 4;
    static final int TEMPERATURE_V1_VALUE = 8;

    /** {@code nvmlTemperature_v1}: the struct size with version 1 in the top byte. */
    static final int TEMPERATURE_V1_VERSION_VALUE = 12 | (1 << 24);

    /**
     * {@code nvmlPciInfo_t}: {@code char busIdLegacy[16]; uint domain; uint bus; uint device; …} in
     * every version (v3 is 68 bytes, the first one 52), so the numbers are read at the same offsets
     * whatever the version.
     */
    static final int PCI_DOMAIN = 16;

    static final int PCI_BUS = 20;
    static final int PCI_DEVICE = 24;
    static final int PCI_INFO_SIZE = 128;

    /**
     * {@code nvmlProcessUtilizationSample_t { uint pid; (4 bytes padding) ull timeStamp; uint
     * smUtil; uint memUtil; uint encUtil; uint decUtil; }}, 32 bytes.
     */
    static final int PROCESS_UTIL_SIZE = 32;

    static final int PROCESS_UTIL_PID = 0;
    static final int PROCESS_UTIL_TIMESTAMP = 8;
    static final int PROCESS_UTIL_SM = 16;

    /** {@code nvmlProcessInfo_v1_t { uint pid; ull usedGpuMemory; }}, 16 bytes. */
    static final int PROCESS_V1_SIZE = 16;

    /**
     * {@code nvmlProcessInfo_v2_t} and {@code nvmlProcessInfo_t} (used by {@code _v3}): {@code {
     * uint pid; ull usedGpuMemory; uint gpuInstanceId; uint computeInstanceId; }}, 24 bytes.
     */
    static final int PROCESS_V2_SIZE = 24;

    static final int PROCESS_PID = 0;
    static final int PROCESS_USED_MEMORY = 8;

    /** {@code usedGpuMemory} when the driver does not know it ({@code ULLONG_MAX}). */
    static final long PROCESS_MEMORY_UNKNOWN = -1L;

    /** The largest struct above; the size of the per-probe scratch buffer. */
    static final int SCRATCH_SIZE = 64;

    /** Enough for {@code nvmlDeviceGetName}, {@code ...GetUUID} and the version strings. */
    static final int STRING_SIZE = 96;

    private NvmlStructs() {}
}
