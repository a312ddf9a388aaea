package io.trainsight.insight.internal.jvm;

import ai.djl.engine.Engine;

/**
 * The intra-op threads of the engine that trains, where the engine tells: PyTorch's {@code
 * JniUtils.getNumThreads()} (looked up by name, so insight needs no PyTorch dependency).
 */
public final class EngineThreadCount {

    private EngineThreadCount() {}

    /**
     * Returns the engine's intra-op threads.
     *
     * @param engine the engine
     * @return the count, or 0 when the engine does not tell
     */
    public static int of(Engine engine) {
        if (engine == null || !"PyTorch".equals(engine.getEngineName())) {
            return 0;
        }
        try {
            Object threads =
                    Class.forName("ai.djl.pytorch.jni.JniUtils")
                            .getMethod("getNumThreads")
                            .invoke(null);
            return threads instanceof Integer count && count > 0 ? count : 0;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
