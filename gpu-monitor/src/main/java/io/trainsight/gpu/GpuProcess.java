package io.trainsight.gpu;

/**
 * A compute process running on a GPU.
 *
 * @param pid the process id as the driver knows it (in a container: the host's PID)
 * @param usedMemoryBytes the device memory it uses, or {@link #UNKNOWN_MEMORY} when NVML does not
 *     know (MIG, or no permission)
 * @param command the process's command name, or an empty string when it cannot be read here
 */
public record GpuProcess(long pid, long usedMemoryBytes, String command) {

    /** The value of {@link #usedMemoryBytes()} when the driver does not know it. */
    public static final long UNKNOWN_MEMORY = -1;
}
