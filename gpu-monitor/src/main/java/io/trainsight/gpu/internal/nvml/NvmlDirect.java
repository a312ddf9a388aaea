package io.trainsight.gpu.internal.nvml;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.EnumSet;
import java.util.Set;

/**
 * The NVML functions called on every tick, direct-mapped by JNA: a call passes primitives and
 * {@link Pointer}s straight through JNI, with no argument array, boxing or struct conversion, so a
 * tick allocates nothing. One nested class per symbol group, registered separately, so a symbol an
 * old driver lacks leaves only its own group unbound (a fallback, not a crash).
 *
 * <p>JNA binds a direct-mapped class to one library for the whole JVM; {@link NvmlLibrary} makes
 * sure only one NVML library is bound at a time.
 */
final class NvmlDirect {

    /** The groups, each a class with the native methods named after the NVML symbols. */
    enum Group {
        CORE(Core.class),
        MEMORY_V2(MemoryV2.class),
        TEMPERATURE(Temperature.class),
        TEMPERATURE_V(TemperatureV.class),
        POWER_LIMIT(PowerLimit.class),
        ENERGY(Energy.class),
        CLOCKS_EVENT(ClocksEvent.class),
        CLOCKS_THROTTLE(ClocksThrottle.class),
        PCIE(Pcie.class),
        PROCESSES_V3(ProcessesV3.class),
        PROCESSES_V2(ProcessesV2.class),
        PROCESSES_V1(ProcessesV1.class),
        PROCESS_UTILIZATION(ProcessUtilization.class);

        private final Class<?> mapping;

        Group(Class<?> mapping) {
            this.mapping = mapping;
        }
    }

    private NvmlDirect() {}

    /**
     * Binds every group whose symbols the library has.
     *
     * @param library the loaded library
     * @return the groups bound
     */
    static Set<Group> register(NativeLibrary library) {
        Set<Group> bound = EnumSet.noneOf(Group.class);
        for (Group group : Group.values()) {
            try {
                Native.register(group.mapping, library);
                bound.add(group);
            } catch (UnsatisfiedLinkError missing) {
                Native.unregister(group.mapping);
            }
        }
        return bound;
    }

    /** Unbinds every group. */
    static void unregister() {
        for (Group group : Group.values()) {
            Native.unregister(group.mapping);
        }
    }

    /** Symbols every NVML has had since its first releases. */
    static final class Core {
        private Core() {}

        static native int nvmlDeviceGetUtilizationRates(Pointer device, Pointer utilization);

        static native int nvmlDeviceGetMemoryInfo(Pointer device, Pointer memory);

        static native int nvmlDeviceGetPowerUsage(Pointer device, Pointer milliwatts);

        static native int nvmlDeviceGetClockInfo(Pointer device, int type, Pointer megahertz);

        static native int nvmlDeviceGetMaxClockInfo(Pointer device, int type, Pointer megahertz);
    }

    /** {@code nvmlMemory_v2_t}, with the reserved memory (driver 510 and newer). */
    static final class MemoryV2 {
        private MemoryV2() {}

        static native int nvmlDeviceGetMemoryInfo_v2(Pointer device, Pointer memory);
    }

    /**
     * The temperature call of every driver up to NVML 12, deprecated in NVML 13: a driver without
     * it loses the temperature only.
     */
    static final class Temperature {
        private Temperature() {}

        static native int nvmlDeviceGetTemperature(Pointer device, int sensor, Pointer celsius);
    }

    /** {@code nvmlTemperature_t}, the versioned replacement (driver 565 and newer). */
    static final class TemperatureV {
        private TemperatureV() {}

        static native int nvmlDeviceGetTemperatureV(Pointer device, Pointer temperature);
    }

    static final class PowerLimit {
        private PowerLimit() {}

        static native int nvmlDeviceGetEnforcedPowerLimit(Pointer device, Pointer milliwatts);
    }

    static final class Energy {
        private Energy() {}

        static native int nvmlDeviceGetTotalEnergyConsumption(Pointer device, Pointer millijoules);
    }

    /** The newer name of the throttle reasons (driver 535 and newer). */
    static final class ClocksEvent {
        private ClocksEvent() {}

        static native int nvmlDeviceGetCurrentClocksEventReasons(Pointer device, Pointer reasons);
    }

    /** The older name of the same call, deprecated but still exported. */
    static final class ClocksThrottle {
        private ClocksThrottle() {}

        static native int nvmlDeviceGetCurrentClocksThrottleReasons(
                Pointer device, Pointer reasons);
    }

    static final class Pcie {
        private Pcie() {}

        static native int nvmlDeviceGetPcieThroughput(
                Pointer device, int counter, Pointer kbPerSecond);
    }

    /** The compute processes with {@code nvmlProcessInfo_t} (24-byte entries). */
    static final class ProcessesV3 {
        private ProcessesV3() {}

        static native int nvmlDeviceGetComputeRunningProcesses_v3(
                Pointer device, Pointer count, Pointer infos);
    }

    /** The same with {@code nvmlProcessInfo_v2_t} (24-byte entries). */
    static final class ProcessesV2 {
        private ProcessesV2() {}

        static native int nvmlDeviceGetComputeRunningProcesses_v2(
                Pointer device, Pointer count, Pointer infos);
    }

    /** The first version, with {@code nvmlProcessInfo_v1_t} (16-byte entries). */
    static final class ProcessesV1 {
        private ProcessesV1() {}

        static native int nvmlDeviceGetComputeRunningProcesses(
                Pointer device, Pointer count, Pointer infos);
    }

    /** Each process's SM share over the samples since a timestamp. */
    static final class ProcessUtilization {
        private ProcessUtilization() {}

        static native int nvmlDeviceGetProcessUtilization(
                Pointer device, Pointer samples, Pointer count, long lastSeenTimestamp);
    }
}
