package io.trainsight.insight.internal.correlate;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory ceiling the host's resident memory is measured against when there is no GPU: one the
 * user set (a simulated device capacity), or the process's cgroup limit.
 *
 * @param bytes the ceiling in bytes, positive
 * @param source where it comes from, such as {@code --memory-limit} or {@code cgroup memory.max}
 */
public record MemoryLimit(long bytes, String source) {

    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    /** Checks the values. */
    public MemoryLimit {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory limit must be positive, got " + bytes);
        }
    }

    /**
     * Parses a size such as {@code 2g}, {@code 512m}, {@code 1.5GiB} or {@code 1073741824}; the
     * units are binary (k = 1024).
     *
     * @param text the size
     * @param source where the size was given, for {@link #source()}
     * @return the limit
     * @throws IllegalArgumentException naming the text and the valid forms
     */
    public static MemoryLimit parse(String text, String source) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not a size; valid: a number of bytes, or with k, m, g or t"
                            + " (such as 512m or 2g)");
        }
        int shift =
                switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
        double bytes = Double.parseDouble(matcher.group(1)) * (1L << shift);
        if (!(bytes >= 1) || bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException(
                    "'" + text + "' is out of range; give a positive size such as 512m or 2g");
        }
        return new MemoryLimit((long) bytes, source);
    }

    /**
     * Reads this process's cgroup memory limit (cgroup v2 {@code memory.max}, else v1 {@code
     * memory.limit_in_bytes}, of its own cgroup and the ancestors it can see, the smallest),
     * counted only when it is below the machine's physical memory. This is the limit of a Docker
     * container or a Kubernetes pod.
     *
     * @return the limit, or empty when there is none
     */
    public static Optional<MemoryLimit> fromCgroup() {
        return CgroupMemoryLimit.read(
                Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"), Path.of("/proc/meminfo"));
    }

    /**
     * Says what the ceiling is.
     *
     * @return such as {@code 2.0 GiB (--memory-limit)}
     */
    public String describe() {
        return String.format(Locale.ROOT, "%.1f GiB (%s)", bytes / (double) (1L << 30), source);
    }
}
