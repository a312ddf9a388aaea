package io.trainsight.trainer.internal.memory;

import io.trainsight.trainer.internal.glibc.GlibcMalloc;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the memory libtorch frees at the end of a step for the next step, instead of giving it back
 * to the operating system.
 *
 * <p>libtorch allocates its CPU tensors with the C library's {@code malloc}. glibc gives freed
 * memory back to the system as soon as more than a few megabytes lie free at the top of a heap, and
 * maps blocks above its mmap threshold one by one; a training step allocates and frees the same
 * activations, gradients and optimizer temporaries every time, so every step faults the same pages
 * in again (here about 700 page faults a step for an MLP 784-256-10, more time than the arithmetic
 * on a busy machine). Raising the trim threshold to {@value #TRIM_THRESHOLD_MIB} MiB and fixing the
 * mmap threshold at {@value #MMAP_THRESHOLD_MIB} MiB keeps those pages mapped: the process holds on
 * to at most its peak of freed temporaries per heap. PyTorch's performance guide reaches the same
 * end by preloading jemalloc or tcmalloc.
 *
 * <p>Nothing is changed when the process does not use glibc, when the user tuned the allocator
 * already ({@code MALLOC_TRIM_THRESHOLD_}, {@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TOP_PAD_},
 * or an allocator in {@code LD_PRELOAD}), or when the system property {@value #PROPERTY} is {@code
 * system}.
 */
public final class NativeMemory {

    /** The system property that turns the tuning off: {@code system} leaves glibc's defaults. */
    public static final String PROPERTY = "trainsight.native-memory";

    static final int TRIM_THRESHOLD_MIB = 512;
    static final int MMAP_THRESHOLD_MIB = 32;

    private static final Logger logger = LoggerFactory.getLogger(NativeMemory.class);
    private static Optional<String> outcome;

    private NativeMemory() {}

    /**
     * Tunes the allocator once per process; later calls return the first outcome.
     *
     * @return what was done, or empty when the allocator was left alone (the reason is logged)
     */
    public static synchronized Optional<String> keepFreedMemory() {
        if (outcome == null) {
            outcome = tune(System.getenv(), System.getProperty(PROPERTY, "keep"));
        }
        return outcome;
    }

    /**
     * Returns the environment that gives another process (e.g. a Python one started for comparison)
     * the same thresholds from its start: glibc reads these variables when it starts.
     *
     * @return the variables and their values
     */
    public static Map<String, String> environment() {
        return Map.of(
                "MALLOC_TRIM_THRESHOLD_", Integer.toString(TRIM_THRESHOLD_MIB << 20),
                "MALLOC_MMAP_THRESHOLD_", Integer.toString(MMAP_THRESHOLD_MIB << 20));
    }

    static Optional<String> tune(Map<String, String> env, String setting) {
        String skip = reasonToSkip(env, setting);
        if (skip != null) {
            logger.debug("Native memory: glibc's allocator left as it is ({})", skip);
            return Optional.empty();
        }
        GlibcMalloc libc;
        String version;
        try {
            libc = GlibcMalloc.load();
            version = libc.gnu_get_libc_version();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            logger.debug("Native memory: no glibc allocator to tune ({})", e.toString());
            return Optional.empty();
        }
        if (libc.mallopt(GlibcMalloc.M_MMAP_THRESHOLD, MMAP_THRESHOLD_MIB << 20) != 1
                || libc.mallopt(GlibcMalloc.M_TRIM_THRESHOLD, TRIM_THRESHOLD_MIB << 20) != 1) {
            logger.debug("Native memory: glibc {} refused the thresholds", version);
            return Optional.empty();
        }
        String done =
                String.format(
                        Locale.ROOT,
                        "glibc %s keeps freed memory for reuse (trim threshold %d MiB, mmap"
                                + " threshold %d MiB; -D%s=system to leave the defaults)",
                        version,
                        TRIM_THRESHOLD_MIB,
                        MMAP_THRESHOLD_MIB,
                        PROPERTY);
        logger.debug("Native memory: {}", done);
        return Optional.of(done);
    }

    /** Returns why the allocator is to be left alone, or null to tune it. */
    static String reasonToSkip(Map<String, String> env, String setting) {
        if ("system".equalsIgnoreCase(setting)) {
            return "-D" + PROPERTY + "=system";
        }
        if (!"keep".equalsIgnoreCase(setting)) {
            logger.warn(
                    "Ignoring -D{}={}: valid values are keep (the default) and system",
                    PROPERTY,
                    setting);
        }
        for (String name :
                new String[] {
                    "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_"
                }) {
            if (env.containsKey(name)) {
                return name + " is set";
            }
        }
        String preload = env.getOrDefault("LD_PRELOAD", "");
        if (preload.contains("jemalloc") || preload.contains("tcmalloc")) {
            return "another allocator is preloaded: " + preload;
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux";
        }
        return null;
    }
}
