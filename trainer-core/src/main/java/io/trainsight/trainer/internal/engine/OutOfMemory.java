package io.trainsight.trainer.internal.engine;

import ai.djl.engine.EngineException;
import java.util.Locale;

/**
 * Recognises the engine's out-of-memory errors. DJL has no typed one: libtorch's message travels in
 * an {@link EngineException}, e.g. "CUDA out of memory. Tried to allocate 2.00 GiB" on a GPU or
 * "DefaultCPUAllocator: can't allocate memory" on the CPU.
 */
public final class OutOfMemory {

    private static final String[] MARKERS = {
        "out of memory", "can't allocate memory", "cannot allocate memory", "failed to allocate"
    };

    private OutOfMemory() {}

    /**
     * Tells whether an exception, or one of its causes, is the engine running out of memory.
     *
     * @param error the exception
     * @return whether it is an out-of-memory error
     */
    public static boolean isOutOfMemory(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof EngineException && e.getMessage() != null) {
                String message = e.getMessage().toLowerCase(Locale.ROOT);
                for (String marker : MARKERS) {
                    if (message.contains(marker)) {
                        return true;
                    }
                }
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    /**
     * Returns the first line of the engine's message, without libtorch's stack of C++ frames.
     *
     * @param error the exception
     * @return one line
     */
    public static String firstLine(Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
