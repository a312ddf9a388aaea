package io.trainsight.gpu.internal.nvml;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.trainsight.gpu.internal.nvml.NvmlDirect.Group;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An initialised NVML: loads the library (once per JVM), binds its symbols, calls {@code
 * nvmlInit_v2} when opened and {@code nvmlShutdown} when closed. Calls made once (versions, count,
 * handles, names, processes) go through JNA {@link Function}s and throw {@link NvmlException};
 * calls made every tick return NVML's code, {@link NvmlError#FUNCTION_NOT_FOUND} when the library
 * lacks the symbol, so the caller falls back without an exception.
 */
public final class NvmlLibrary implements AutoCloseable {

    /** NVML's code for success. */
    public static final int SUCCESS = 0;

    private static final int FUNCTION_NOT_FOUND = NvmlError.FUNCTION_NOT_FOUND.code();
    private static final Object BINDING_LOCK = new Object();
    private static NativeLibrary bound;
    private static Set<Group> bindGroups = Set.of();
    private static int users;

    private final NativeLibrary library;
    private final Set<Group> groups;
    private final Function errorString;
    private boolean closed;

    private NvmlLibrary(NativeLibrary library, Set<Group> groups) {
        this.library = library;
        this.groups = groups;
        this.errorString = library.getFunction("nvmlErrorString");
    }

    /**
     * Loads NVML and initialises it.
     *
     * @param name a path or library name; empty for the platform's default ({@code
     *     libnvidia-ml.so.1} on Linux, {@code nvml} on Windows)
     * @return the initialised library
     * @throws NvmlException if the library cannot be loaded ({@link NvmlError#LIBRARY_NOT_FOUND}),
     *     lacks the core symbols ({@link NvmlError#FUNCTION_NOT_FOUND}), or does not initialise
     */
    public static NvmlLibrary open(Optional<String> name) {
        NvmlLibrary nvml = bind(load(name.map(List::of).orElseGet(NvmlLibrary::defaultNames)));
        try {
            int code = nvml.call(nvml.function("nvmlInit_v2", "nvmlInit"));
            if (code != SUCCESS) {
                throw nvml.error("nvmlInit_v2", code);
            }
        } catch (RuntimeException e) {
            nvml.release();
            throw e;
        }
        return nvml;
    }

    private static List<String> defaultNames() {
        if (Platform.isWindows()) {
            return List.of("nvml");
        }
        return Platform.isLinux()
                ? List.of("libnvidia-ml.so.1", "nvidia-ml")
                : List.of("nvidia-ml");
    }

    private static NativeLibrary load(List<String> names) {
        UnsatisfiedLinkError first = null;
        for (String name : names) {
            try {
                return NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                first = first == null ? e : first;
            }
        }
        throw new NvmlException(
                "dlopen",
                NvmlError.LIBRARY_NOT_FOUND.code(),
                String.join(" or ", names) + " could not be loaded" + reason(first));
    }

    /** The loader's own reason, in one line: JNA's second line is the first dlopen error. */
    private static String reason(UnsatisfiedLinkError error) {
        String message = error == null || error.getMessage() == null ? "" : error.getMessage();
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        return " (" + (lines.size() > 1 ? lines.get(1) : lines.get(0)) + ")";
    }

    private static NvmlLibrary bind(NativeLibrary library) {
        synchronized (BINDING_LOCK) {
            if (bound != library) {
                if (users > 0) {
                    throw new IllegalStateException(
                            "NVML library "
                                    + bound.getName()
                                    + " is in use by another monitor; one NVML library per JVM");
                }
                NvmlDirect.unregister();
                bound = library;
                bindGroups = NvmlDirect.register(library);
            }
            if (!bindGroups.contains(Group.CORE)) {
                bound = null;
                NvmlDirect.unregister();
                throw new NvmlException(
                        "dlsym",
                        FUNCTION_NOT_FOUND,
                        library.getName() + " lacks NVML's device functions; is it NVML?");
            }
            users++;
            return new NvmlLibrary(library, bindGroups);
        }
    }

    private void release() {
        synchronized (BINDING_LOCK) {
            if (!closed) {
                closed = true;
                users--;
            }
        }
    }

    /**
     * Returns the library's name or path as loaded.
     *
     * @return the name
     */
    public String name() {
        return library.getName();
    }

    /**
     * Looks a function up, trying each name in turn (the newest version first).
     *
     * @param names the symbol names
     * @return the first function found, or empty when the library has none of them
     */
    Optional<Function> function(String... names) {
        for (String name : names) {
            try {
                return Optional.of(library.getFunction(name));
            } catch (UnsatisfiedLinkError missing) {
                // an older driver: try the next name
            }
        }
        return Optional.empty();
    }

    /**
     * Calls an optional function, with FUNCTION_NOT_FOUND when it is missing.
     *
     * @param function the function
     * @param args its arguments
     * @return NVML's code
     */
    int call(Optional<Function> function, Object... args) {
        return function.map(f -> f.invokeInt(args)).orElse(FUNCTION_NOT_FOUND);
    }

    /**
     * Makes the exception for a code, with NVML's own message.
     *
     * @param function the function that returned it
     * @param code the code
     * @return the exception
     */
    public NvmlException error(String function, int code) {
        String message;
        if (code == FUNCTION_NOT_FOUND) {
            message = name() + " has no " + function + " (an older driver)";
        } else {
            message = errorString.invokeString(new Object[] {code}, false);
        }
        return new NvmlException(function, code, message == null ? "NVML error " + code : message);
    }

    /**
     * Reads a string through a function of the form {@code f(args..., char* out, uint length)}.
     *
     * @param names the function's names, newest first
     * @param args the arguments before the buffer
     * @return the string
     * @throws NvmlException if the call fails
     */
    String string(String[] names, Object... args) {
        Memory buffer = new Memory(NvmlStructs.STRING_SIZE);
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = buffer;
        all[args.length + 1] = NvmlStructs.STRING_SIZE;
        int code = call(function(names), all);
        if (code != SUCCESS) {
            throw error(names[0], code);
        }
        return buffer.getString(0);
    }

    // ---- the calls made every tick: NVML's code, FUNCTION_NOT_FOUND where the symbol is missing

    boolean has(Group group) {
        return groups.contains(group);
    }

    int utilization(Pointer device, Pointer out) {
        return NvmlDirect.Core.nvmlDeviceGetUtilizationRates(device, out);
    }

    int memoryV1(Pointer device, Pointer out) {
        return NvmlDirect.Core.nvmlDeviceGetMemoryInfo(device, out);
    }

    int memoryV2(Pointer device, Pointer out) {
        if (!groups.contains(Group.MEMORY_V2)) {
            return FUNCTION_NOT_FOUND;
        }
        out.setInt(NvmlStructs.MEMORY_V2_VERSION, NvmlStructs.MEMORY_V2_VERSION_VALUE);
        return NvmlDirect.MemoryV2.nvmlDeviceGetMemoryInfo_v2(device, out);
    }

    /** {@code nvmlDeviceGetTemperatureV} for the GPU sensor; the degrees land at offset 0. */
    int temperatureV(Pointer device, Pointer out) {
        if (!groups.contains(Group.TEMPERATURE_V)) {
            return FUNCTION_NOT_FOUND;
        }
        out.setInt(NvmlStructs.TEMPERATURE_V1_VERSION, NvmlStructs.TEMPERATURE_V1_VERSION_VALUE);
        out.setInt(NvmlStructs.TEMPERATURE_V1_SENSOR, 0);
        int code = NvmlDirect.TemperatureV.nvmlDeviceGetTemperatureV(device, out);
        if (code == SUCCESS) {
            out.setInt(0, out.getInt(NvmlStructs.TEMPERATURE_V1_VALUE));
        }
        return code;
    }

    /** The deprecated {@code nvmlDeviceGetTemperature} for the GPU sensor. */
    int temperatureLegacy(Pointer device, Pointer out) {
        return groups.contains(Group.TEMPERATURE)
                ? NvmlDirect.Temperature.nvmlDeviceGetTemperature(device, 0, out)
                : FUNCTION_NOT_FOUND;
    }

    /**
     * Calls a version of {@code nvmlDeviceGetComputeRunningProcesses}.
     *
     * @param version 3, 2 or 1
     * @param device the GPU's handle
     * @param count the capacity in entries in, the number of processes out
     * @param infos the entries ({@link NvmlStructs#PROCESS_V2_SIZE} bytes each for 2 and 3, {@link
     *     NvmlStructs#PROCESS_V1_SIZE} for 1)
     * @return NVML's code, FUNCTION_NOT_FOUND when the library lacks that version
     */
    int processes(int version, Pointer device, Pointer count, Pointer infos) {
        return switch (version) {
            case 3 ->
                    groups.contains(Group.PROCESSES_V3)
                            ? NvmlDirect.ProcessesV3.nvmlDeviceGetComputeRunningProcesses_v3(
                                    device, count, infos)
                            : FUNCTION_NOT_FOUND;
            case 2 ->
                    groups.contains(Group.PROCESSES_V2)
                            ? NvmlDirect.ProcessesV2.nvmlDeviceGetComputeRunningProcesses_v2(
                                    device, count, infos)
                            : FUNCTION_NOT_FOUND;
            default ->
                    groups.contains(Group.PROCESSES_V1)
                            ? NvmlDirect.ProcessesV1.nvmlDeviceGetComputeRunningProcesses(
                                    device, count, infos)
                            : FUNCTION_NOT_FOUND;
        };
    }

    int processUtilization(Pointer device, Pointer samples, Pointer count, long lastSeen) {
        return groups.contains(Group.PROCESS_UTILIZATION)
                ? NvmlDirect.ProcessUtilization.nvmlDeviceGetProcessUtilization(
                        device, samples, count, lastSeen)
                : FUNCTION_NOT_FOUND;
    }

    int powerUsage(Pointer device, Pointer out) {
        return NvmlDirect.Core.nvmlDeviceGetPowerUsage(device, out);
    }

    int powerLimit(Pointer device, Pointer out) {
        return groups.contains(Group.POWER_LIMIT)
                ? NvmlDirect.PowerLimit.nvmlDeviceGetEnforcedPowerLimit(device, out)
                : FUNCTION_NOT_FOUND;
    }

    int energy(Pointer device, Pointer out) {
        return groups.contains(Group.ENERGY)
                ? NvmlDirect.Energy.nvmlDeviceGetTotalEnergyConsumption(device, out)
                : FUNCTION_NOT_FOUND;
    }

    int clock(Pointer device, int type, Pointer out) {
        return NvmlDirect.Core.nvmlDeviceGetClockInfo(device, type, out);
    }

    int maxClock(Pointer device, int type, Pointer out) {
        return NvmlDirect.Core.nvmlDeviceGetMaxClockInfo(device, type, out);
    }

    int clockEventReasons(Pointer device, Pointer out) {
        if (groups.contains(Group.CLOCKS_EVENT)) {
            return NvmlDirect.ClocksEvent.nvmlDeviceGetCurrentClocksEventReasons(device, out);
        }
        return groups.contains(Group.CLOCKS_THROTTLE)
                ? NvmlDirect.ClocksThrottle.nvmlDeviceGetCurrentClocksThrottleReasons(device, out)
                : FUNCTION_NOT_FOUND;
    }

    String clockEventReasonsName() {
        return groups.contains(Group.CLOCKS_EVENT)
                ? "nvmlDeviceGetCurrentClocksEventReasons"
                : "nvmlDeviceGetCurrentClocksThrottleReasons";
    }

    int pcieThroughput(Pointer device, int counter, Pointer out) {
        return groups.contains(Group.PCIE)
                ? NvmlDirect.Pcie.nvmlDeviceGetPcieThroughput(device, counter, out)
                : FUNCTION_NOT_FOUND;
    }

    /** Calls {@code nvmlShutdown} and lets another library be bound; later closes do nothing. */
    @Override
    public void close() {
        synchronized (BINDING_LOCK) {
            if (closed) {
                return;
            }
            function("nvmlShutdown").ifPresent(f -> f.invokeInt(new Object[0]));
            release();
        }
    }
}
