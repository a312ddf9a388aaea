package io.trainsight.trainer.engine;

import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads libtorch computes with: the intra-op threads one operator (a matrix product, a
 * convolution) is split across, and the inter-op threads that run operators side by side.
 *
 * <p>libtorch's own default is one intra-op thread per hardware core. It ignores a cgroup CPU quota
 * and everything else the process runs: the JVM's garbage collector and compiler, the loader's
 * workers, the monitor's sampler. When any of them takes a core, every operator waits at the pool's
 * barrier for the thread that lost its core, and a small model trains many times slower (on a
 * 2-core machine, 25-360 steps/s against 900 with one thread). trainsight therefore chooses the
 * threads itself from the cores the process may really use ({@link Runtime#availableProcessors()},
 * which honours a cgroup quota), less one per loader worker and one for the JVM's own threads, and
 * one inter-op thread: the loop runs every operator from its own thread, so libtorch's inter-op
 * pool has nothing to run side by side.
 *
 * <p>libtorch's thread setting is process-wide: it applies to every thread that has not run an
 * operator yet, and {@link #apply()} also sets it for the calling thread.
 *
 * @param intraOp the intra-op threads, at least 1
 * @param interOp the inter-op threads, at least 1
 * @param reason why this many, in a few words a user can check
 */
public record EngineThreads(int intraOp, int interOp, String reason) {

    /** DJL's system property for the intra-op threads, read once when the engine starts. */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";

    /** DJL's system property for the inter-op threads, read once when the engine starts. */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static final Logger logger = LoggerFactory.getLogger(EngineThreads.class);

    /** The properties this class set itself, so they are not taken for the user's choice. */
    private static volatile String propertiesSetHere;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a count is below 1
     */
    public EngineThreads {
        if (intraOp < 1 || interOp < 1) {
            throw new IllegalArgumentException(
                    "threads must be at least 1, got " + intraOp + " intra-op and " + interOp);
        }
    }

    /**
     * A thread count the user chose.
     *
     * @param threads the intra-op threads, at least 1
     * @param source where the choice came from, e.g. {@code --threads}
     * @return the setting
     * @throws IllegalArgumentException if threads is below 1
     */
    public static EngineThreads fixed(int threads, String source) {
        if (threads < 1) {
            throw new IllegalArgumentException(
                    "threads must be a positive number, got " + threads + " (" + source + ")");
        }
        return new EngineThreads(threads, 1, "set by " + source);
    }

    /**
     * Chooses the threads for a process that may use {@code cores} cores: one core is left to the
     * JVM's own threads (garbage collector, compiler, the monitor's sampler, the listeners), one to
     * each loader worker, and the rest, at least one, compute.
     *
     * @param cores the cores the process may use
     * @param loaderWorkers the loader's worker threads, 0 when batches are built inline
     * @return the setting, with its reason
     */
    public static EngineThreads choose(int cores, int loaderWorkers) {
        if (cores < 1 || loaderWorkers < 0) {
            throw new IllegalArgumentException(
                    "cores must be at least 1 and loader workers 0 or more, got "
                            + cores
                            + " and "
                            + loaderWorkers);
        }
        int reserved = cores > 1 ? loaderWorkers + 1 : 0;
        int intra = Math.max(1, cores - reserved);
        String reason =
                String.format(
                        Locale.ROOT,
                        "%d core%s available to this process, less %d for the loader's workers"
                                + " and %d for the JVM's own threads (GC, JIT, monitor)",
                        cores,
                        cores == 1 ? "" : "s",
                        cores > 1 ? loaderWorkers : 0,
                        cores > 1 ? 1 : 0);
        return new EngineThreads(intra, 1, reason);
    }

    /**
     * The setting for this process: the user's when they pinned the threads through {@value
     * #INTRA_OP_PROPERTY} or {@code OMP_NUM_THREADS}, else {@link #choose} from the cores the
     * process may use.
     *
     * @param loaderWorkers the loader's worker threads, 0 when batches are built inline
     * @return the setting
     */
    public static EngineThreads automatic(int loaderWorkers) {
        String property = System.getProperty(INTRA_OP_PROPERTY);
        if (property != null && !property.equals(propertiesSetHere)) {
            Integer threads = positive(property);
            if (threads != null) {
                return fixed(threads, "-D" + INTRA_OP_PROPERTY);
            }
        }
        Integer omp = positive(System.getenv("OMP_NUM_THREADS"));
        if (omp != null) {
            return fixed(omp, "OMP_NUM_THREADS");
        }
        return choose(Runtime.getRuntime().availableProcessors(), loaderWorkers);
    }

    /**
     * Sets DJL's system properties so the engine starts with these threads; call it before the
     * engine starts (before the first {@code Engine.getInstance()}). A property the user set is
     * left alone.
     */
    public void beforeEngineStart() {
        String mine = Integer.toString(intraOp);
        if (System.getProperty(INTRA_OP_PROPERTY) == null) {
            System.setProperty(INTRA_OP_PROPERTY, mine);
            propertiesSetHere = mine;
        }
        if (System.getProperty(INTER_OP_PROPERTY) == null) {
            System.setProperty(INTER_OP_PROPERTY, Integer.toString(interOp));
        }
    }

    /**
     * Applies the setting to the running engine, for the calling thread and every thread that has
     * not run an operator yet. The inter-op threads can only be set before libtorch first uses
     * them; when they are fixed already they stay as they are.
     */
    public void apply() {
        if (JniUtils.getNumThreads() != intraOp) {
            JniUtils.setNumThreads(intraOp);
        }
        if (JniUtils.getNumInteropThreads() != interOp) {
            try {
                JniUtils.setNumInteropThreads(interOp);
            } catch (EngineException e) {
                logger.debug(
                        "libtorch's inter-op threads stay at {}: {}",
                        JniUtils.getNumInteropThreads(),
                        e.getMessage());
            }
        }
    }

    /** Returns one line saying what was chosen and why. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "libtorch threads: %d intra-op, %d inter-op (%s)",
                intraOp,
                interOp,
                reason);
    }

    private static Integer positive(String text) {
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
