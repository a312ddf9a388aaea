package io.trainsight.insight.internal.correlate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This process's cgroup memory limit, read from the cgroup files themselves: cgroup v2 {@code
 * memory.max}, else v1 {@code memory.limit_in_bytes}, in the process's own cgroup and every
 * ancestor visible under the mount (the smallest wins, as the kernel enforces it). A limit is one
 * only below the machine's physical memory ({@code MemTotal} of {@code /proc/meminfo}); the JVM's
 * own total memory is no yardstick, since inside a container Java 17 already reports the limit
 * there.
 *
 * <p>Reading ({@link #read}) is separate from parsing (the other methods), so both are tested on
 * fixtures.
 */
final class CgroupMemoryLimit {

    /** v1 writes "no limit" as the largest page-aligned long; anything this large is none. */
    private static final long UNLIMITED = Long.MAX_VALUE / 2;

    private CgroupMemoryLimit() {}

    /**
     * Reads the limit.
     *
     * @param cgroupRoot where the cgroup file systems are mounted, normally {@code /sys/fs/cgroup}
     *     (v2 there, or v1 with its {@code memory} controller below it)
     * @param selfCgroup the process's cgroup list, normally {@code /proc/self/cgroup}
     * @param meminfo the kernel's memory figures, normally {@code /proc/meminfo}
     * @return the limit, or empty when there is none below the machine's memory or nothing could be
     *     read
     */
    static Optional<MemoryLimit> read(Path cgroupRoot, Path selfCgroup, Path meminfo) {
        String cgroups = text(selfCgroup);
        long machine = memTotal(text(meminfo));
        OptionalLong limit;
        String file;
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
            file = "memory.max";
            limit = smallest(cgroupRoot, unifiedPath(cgroups), file);
        } else if (Files.isDirectory(cgroupRoot.resolve("memory"))) {
            file = "memory.limit_in_bytes";
            limit = smallest(cgroupRoot.resolve("memory"), memoryPath(cgroups), file);
        } else {
            return Optional.empty();
        }
        if (limit.isEmpty() || (machine > 0 && limit.getAsLong() >= machine)) {
            return Optional.empty();
        }
        return Optional.of(new MemoryLimit(limit.getAsLong(), "cgroup " + file));
    }

    /**
     * Returns the process's cgroup v2 path: the {@code 0::PATH} line.
     *
     * @param selfCgroup the text of {@code /proc/self/cgroup}, or null
     * @return the path, {@code /} when there is no such line
     */
    static String unifiedPath(String selfCgroup) {
        for (String line : lines(selfCgroup)) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        return "/";
    }

    /**
     * Returns the process's path in the cgroup v1 hierarchy of the {@code memory} controller: the
     * {@code N:CONTROLLERS:PATH} line whose controllers include {@code memory}.
     *
     * @param selfCgroup the text of {@code /proc/self/cgroup}, or null
     * @return the path, {@code /} when there is no such line
     */
    static String memoryPath(String selfCgroup) {
        for (String line : lines(selfCgroup)) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3) {
                for (String controller : fields[1].split(",")) {
                    if (controller.equals("memory")) {
                        return fields[2];
                    }
                }
            }
        }
        return "/";
    }

    /**
     * Parses a limit file: a number of bytes, or {@code max} (v2) or a huge number (v1) for none.
     *
     * @param text the file's text, or null
     * @return the limit in bytes, or empty for none or an unreadable text
     */
    static OptionalLong limit(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String value = text.strip();
        if (!value.matches("\\d{1,19}")) {
            return OptionalLong.empty(); // "max", or not a number
        }
        try {
            long bytes = Long.parseLong(value);
            return bytes > 0 && bytes < UNLIMITED ? OptionalLong.of(bytes) : OptionalLong.empty();
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /**
     * Parses the machine's physical memory from {@code /proc/meminfo}.
     *
     * @param meminfo the file's text, or null
     * @return {@code MemTotal} in bytes, or -1 when it is not there
     */
    static long memTotal(String meminfo) {
        for (String line : lines(meminfo)) {
            if (line.startsWith("MemTotal:")) {
                String[] fields = line.substring(9).trim().split("\\s+");
                try {
                    long value = Long.parseLong(fields[0]);
                    return fields.length > 1 && fields[1].equalsIgnoreCase("kB")
                            ? value * 1024
                            : value;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * The smallest limit in the cgroup's directory and its ancestors up to the mount. The path may
     * name a directory that is not under the mount (a container that sees the host's path without a
     * cgroup namespace): then only the mount's own files count, which are the container's.
     */
    private static OptionalLong smallest(Path mountPoint, String cgroupPath, String file) {
        Path mount = mountPoint.normalize();
        Path dir = mount.resolve(cgroupPath.replaceFirst("^/+", "")).normalize();
        if (!dir.startsWith(mount)) {
            dir = mount;
        }
        long smallest = Long.MAX_VALUE;
        for (Path at = dir; at != null && at.startsWith(mount); at = at.getParent()) {
            OptionalLong limit = limit(text(at.resolve(file)));
            if (limit.isPresent()) {
                smallest = Math.min(smallest, limit.getAsLong());
            }
        }
        return smallest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(smallest);
    }

    private static String[] lines(String text) {
        return text == null ? new String[0] : text.split("\n");
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return null; // absent on this cgroup version or not readable: no limit from it
        }
    }
}
