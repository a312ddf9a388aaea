package io.trainsight.cli;

/**
 * Makes DJL offline unless the user said otherwise: the CPU libtorch comes from a jar on the class
 * path and a GPU one from {@code PYTORCH_LIBRARY_PATH}, so nothing needs a download. Set {@code
 * DJL_OFFLINE=false} to let DJL download an engine.
 */
final class OfflineDefaults {

    private static final String PROPERTY = "ai.djl.offline";
    private static final String VARIABLE = "DJL_OFFLINE";

    private OfflineDefaults() {}

    static void apply() {
        if (System.getProperty(PROPERTY) == null && System.getenv(VARIABLE) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
