package io.trainsight.insight.internal.jvm;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource map of an NDManager whose arrays keep growing, put in place of DJL's own (same
 * entries, same behaviour) so that, while armed, the first 32 arrays attached to the manager and
 * then every eighth have their creation site noted: the first stack frame outside DJL, the JDK and
 * trainsight's insight. Which of those arrays are still alive some steps later tells where the
 * growing arrays come from.
 */
final class SiteSampler extends ConcurrentHashMap<String, AutoCloseable> {

    private static final long serialVersionUID = 1L;
    private static final int EVERY = 8;
    private static final int FIRST = 32;
    private static final int MAX_PENDING = 256;
    private static final Set<String> FRAMEWORK =
            Set.of("ai.djl.", "java.", "jdk.", "sun.", "io.trainsight.insight.");
    private static final StackWalker WALKER = StackWalker.getInstance();

    private transient volatile boolean armed;
    private transient int puts;
    private transient volatile long census;
    private final transient Map<String, Pending> pending = new LinkedHashMap<>();

    /** An array whose site was noted, with the census it was noted before. */
    record Pending(String site, long census) {}

    SiteSampler(Map<String, AutoCloseable> entries) {
        super(entries);
    }

    void arm(boolean on) {
        armed = on;
    }

    /** Sets the number of the census the next noted arrays come before. */
    void census(long number) {
        census = number;
    }

    boolean armed() {
        return armed;
    }

    @Override
    public AutoCloseable put(String key, AutoCloseable value) {
        AutoCloseable old = super.put(key, value);
        if (armed && value instanceof NDArray && (++puts <= FIRST || puts % EVERY == 0)) {
            site().ifPresent(site -> note(key, site));
        }
        return old;
    }

    private synchronized void note(String key, String site) {
        if (pending.size() < MAX_PENDING) {
            pending.put(key, new Pending(site, census));
        }
    }

    /** Returns the noted arrays, to be checked and removed by the census thread. */
    synchronized Map<String, Pending> pending() {
        return new LinkedHashMap<>(pending);
    }

    synchronized void forget(String key) {
        pending.remove(key);
    }

    static Optional<String> site() {
        return WALKER.walk(
                frames ->
                        frames.filter(frame -> !framework(frame.getClassName()))
                                .findFirst()
                                .map(
                                        frame ->
                                                frame.getClassName()
                                                        + "."
                                                        + frame.getMethodName()
                                                        + "("
                                                        + frame.getFileName()
                                                        + ":"
                                                        + frame.getLineNumber()
                                                        + ")"));
    }

    private static boolean framework(String className) {
        for (String prefix : FRAMEWORK) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
