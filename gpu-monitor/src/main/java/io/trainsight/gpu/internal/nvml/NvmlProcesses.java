package io.trainsight.gpu.internal.nvml;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.internal.host.ProcessNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the compute processes on a GPU: {@code nvmlDeviceGetComputeRunningProcesses_v3}, else
 * {@code _v2}, else the plain call with the older 16-byte struct; asks for the count first and
 * grows the buffer when processes start in between.
 */
final class NvmlProcesses {

    private static final int ATTEMPTS = 4;
    private static final int SPARE = 8;
    private static final List<Variant> VARIANTS =
            List.of(
                    new Variant(
                            "nvmlDeviceGetComputeRunningProcesses_v3", NvmlStructs.PROCESS_V2_SIZE),
                    new Variant(
                            "nvmlDeviceGetComputeRunningProcesses_v2", NvmlStructs.PROCESS_V2_SIZE),
                    new Variant(
                            "nvmlDeviceGetComputeRunningProcesses", NvmlStructs.PROCESS_V1_SIZE));

    /** A version of the call and the size of the struct it fills. */
    private record Variant(String symbol, int stride) {}

    private NvmlProcesses() {}

    /**
     * Lists the processes.
     *
     * @param nvml the library
     * @param device the GPU's handle
     * @return the processes, with their command names where this machine can read them
     * @throws NvmlException if every available variant fails
     */
    static List<GpuProcess> list(NvmlLibrary nvml, Pointer device) {
        NvmlException failure = null;
        for (Variant variant : VARIANTS) {
            Optional<Function> function = nvml.function(variant.symbol());
            if (function.isEmpty()) {
                continue;
            }
            try {
                return query(nvml, function.get(), variant.symbol(), device, variant.stride());
            } catch (NvmlException e) {
                if (e.error() != NvmlError.FUNCTION_NOT_FOUND
                        && e.error() != NvmlError.ARGUMENT_VERSION_MISMATCH) {
                    throw e;
                }
                failure = e;
            }
        }
        throw failure != null
                ? failure
                : nvml.error(VARIANTS.get(0).symbol(), NvmlError.FUNCTION_NOT_FOUND.code());
    }

    private static List<GpuProcess> query(
            NvmlLibrary nvml, Function function, String name, Pointer device, int stride) {
        Memory count = new Memory(4);
        count.setInt(0, 0);
        int code = function.invokeInt(new Object[] {device, count, null});
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (code == NvmlLibrary.SUCCESS) {
                return read(null, 0, stride);
            }
            if (code != NvmlError.INSUFFICIENT_SIZE.code()) {
                throw nvml.error(name, code);
            }
            int capacity = count.getInt(0) + SPARE;
            Memory buffer = new Memory((long) capacity * stride);
            count.setInt(0, capacity);
            code = function.invokeInt(new Object[] {device, count, buffer});
            if (code == NvmlLibrary.SUCCESS) {
                return read(buffer, count.getInt(0), stride);
            }
        }
        throw nvml.error(name, code);
    }

    private static List<GpuProcess> read(Memory buffer, int count, int stride) {
        List<GpuProcess> processes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * stride;
            long pid = buffer.getInt(offset + NvmlStructs.PROCESS_PID) & 0xFFFF_FFFFL;
            long memory = buffer.getLong(offset + NvmlStructs.PROCESS_USED_MEMORY);
            processes.add(
                    new GpuProcess(
                            pid,
                            memory == NvmlStructs.PROCESS_MEMORY_UNKNOWN
                                    ? GpuProcess.UNKNOWN_MEMORY
                                    : memory,
                            ProcessNames.command(pid)));
        }
        return List.copyOf(processes);
    }
}
