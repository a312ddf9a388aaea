package io.trainsight.gpu.internal.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name, read once: the kernel's hostname, else the JVM's local host name. */
public final class HostName {

    private static final String NAME = read();

    private HostName() {}

    /**
     * Returns the machine's name.
     *
     * @return the name, or {@code localhost} when it cannot be found
     */
    public static String get() {
        return NAME;
    }

    private static String read() {
        try {
            String kernel =
                    new String(
                                    Files.readAllBytes(Path.of("/proc/sys/kernel/hostname")),
                                    StandardCharsets.UTF_8)
                            .strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // not Linux: ask the JVM
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
