package io.trainsight.gpu.internal.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names processes by their id from {@code /proc/PID/comm}, as {@code top} does. */
public final class ProcessNames {

    private ProcessNames() {}

    /**
     * Returns a process's command name.
     *
     * @param pid the process id
     * @return the name, or an empty string when it cannot be read (another PID namespace, the
     *     process ended, not Linux)
     */
    public static String command(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "comm"));
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return "";
        }
    }
}
