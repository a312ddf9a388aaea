package io.trainsight.gpu.internal.nvml;

import static io.trainsight.gpu.SampleRing.ABSENT;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The compute processes of one GPU on every tick, through preallocated buffers: this process's own
 * device memory (its PID's {@code usedGpuMemory}), and the other processes' memory and count; at a
 * slower interval, the highest SM share of another process ({@code
 * nvmlDeviceGetProcessUtilization}). The newest call the library has is used ({@code _v3}, else
 * {@code _v2}, else the plain call with its 16-byte entries); a buffer grows only when more
 * processes run than it holds. Used by the sampler thread only.
 */
final class NvmlProcessTick {

    private static final int INITIAL_CAPACITY = 32;

    private final NvmlLibrary nvml;
    private final long ownPid;
    private final Memory count = new Memory(4);
    private Memory infos;
    private int capacity;
    private int version = 3;
    private Memory samples;
    private int sampleCapacity;
    private long lastSeen;

    private long own = ABSENT;
    private long others = ABSENT;
    private long otherCount = ABSENT;
    private long otherSm = ABSENT;

    NvmlProcessTick(NvmlLibrary nvml, long ownPid) {
        this.nvml = nvml;
        this.ownPid = ownPid;
        grow(INITIAL_CAPACITY);
    }

    long own() {
        return own;
    }

    long others() {
        return others;
    }

    long otherCount() {
        return otherCount;
    }

    long otherSm() {
        return otherSm;
    }

    /** The NVML symbol of the process list in use, for events. */
    String processCall() {
        return switch (version) {
            case 3 -> "nvmlDeviceGetComputeRunningProcesses_v3";
            case 2 -> "nvmlDeviceGetComputeRunningProcesses_v2";
            default -> "nvmlDeviceGetComputeRunningProcesses";
        };
    }

    /**
     * Reads the process list.
     *
     * @param device the GPU's handle
     * @return NVML's code; on success {@link #own()}, {@link #others()} and {@link #otherCount()}
     *     hold the tick's values
     */
    int sampleProcesses(Pointer device) {
        own = ABSENT;
        others = ABSENT;
        otherCount = ABSENT;
        int code;
        while (true) {
            count.setInt(0, capacity);
            code = nvml.processes(version, device, count, infos);
            if (code == NvmlError.INSUFFICIENT_SIZE.code() && count.getInt(0) > capacity) {
                grow(count.getInt(0) + INITIAL_CAPACITY);
                count.setInt(0, capacity);
                code = nvml.processes(version, device, count, infos);
            }
            boolean older =
                    code == NvmlError.FUNCTION_NOT_FOUND.code()
                            || code == NvmlError.ARGUMENT_VERSION_MISMATCH.code();
            if (!older || version == 1) {
                break;
            }
            version--; // this driver lacks that version: use the older one from now on
        }
        if (code != NvmlLibrary.SUCCESS) {
            return code;
        }
        int stride = version == 1 ? NvmlStructs.PROCESS_V1_SIZE : NvmlStructs.PROCESS_V2_SIZE;
        long sum = 0;
        long n = 0;
        int listed = Math.min(count.getInt(0), capacity);
        for (int i = 0; i < listed; i++) {
            long offset = (long) i * stride;
            long pid = infos.getInt(offset + NvmlStructs.PROCESS_PID) & 0xFFFF_FFFFL;
            long memory = infos.getLong(offset + NvmlStructs.PROCESS_USED_MEMORY);
            if (pid == ownPid) {
                own = memory == NvmlStructs.PROCESS_MEMORY_UNKNOWN ? ABSENT : memory;
            } else {
                n++;
                if (memory != NvmlStructs.PROCESS_MEMORY_UNKNOWN) {
                    sum += memory;
                }
            }
        }
        others = sum;
        otherCount = n;
        return code;
    }

    /**
     * Reads the per-process SM shares since the last read.
     *
     * @param device the GPU's handle
     * @return NVML's code; NOT_FOUND (no process ran since) counts as success with a share of 0
     */
    int sampleUtilization(Pointer device) {
        count.setInt(0, sampleCapacity);
        int code = nvml.processUtilization(device, samples, count, lastSeen);
        if (code == NvmlError.INSUFFICIENT_SIZE.code() && count.getInt(0) > sampleCapacity) {
            sampleCapacity = count.getInt(0) + INITIAL_CAPACITY;
            samples = new Memory((long) sampleCapacity * NvmlStructs.PROCESS_UTIL_SIZE);
            count.setInt(0, sampleCapacity);
            code = nvml.processUtilization(device, samples, count, lastSeen);
        }
        if (code == NvmlError.NOT_FOUND.code()) {
            otherSm = 0;
            return NvmlLibrary.SUCCESS;
        }
        if (code != NvmlLibrary.SUCCESS) {
            otherSm = ABSENT;
            return code;
        }
        long highest = 0;
        int listed = Math.min(count.getInt(0), sampleCapacity);
        for (int i = 0; i < listed; i++) {
            long offset = (long) i * NvmlStructs.PROCESS_UTIL_SIZE;
            long pid = samples.getInt(offset + NvmlStructs.PROCESS_UTIL_PID) & 0xFFFF_FFFFL;
            lastSeen =
                    Math.max(
                            lastSeen, samples.getLong(offset + NvmlStructs.PROCESS_UTIL_TIMESTAMP));
            if (pid != ownPid) {
                long sm = samples.getInt(offset + NvmlStructs.PROCESS_UTIL_SM) & 0xFFFF_FFFFL;
                highest = Math.max(highest, sm);
            }
        }
        otherSm = Math.min(100, highest);
        return code;
    }

    private void grow(int entries) {
        capacity = entries;
        infos = new Memory((long) capacity * NvmlStructs.PROCESS_V2_SIZE);
        if (samples == null) {
            sampleCapacity = entries * 4;
            samples = new Memory((long) sampleCapacity * NvmlStructs.PROCESS_UTIL_SIZE);
        }
    }
}
