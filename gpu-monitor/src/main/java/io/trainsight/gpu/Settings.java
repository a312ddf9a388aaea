package io.trainsight.gpu;

import java.util.Optional;

/** Reads a deployment setting from a system property, else from an environment variable. */
public final class Settings {

    /** The system property naming the NVML library (a path or a name). */
    public static final String NVML_LIBRARY_PROPERTY = "trainsight.nvml.library";

    /** The environment variable naming the NVML library (a path or a name). */
    public static final String NVML_LIBRARY_ENV = "TRAINSIGHT_NVML_LIBRARY";

    /** The system property naming the CUDA driver library (a path or a name). */
    public static final String CUDA_LIBRARY_PROPERTY = "trainsight.cuda.library";

    /** The environment variable naming the CUDA driver library (a path or a name). */
    public static final String CUDA_LIBRARY_ENV = "TRAINSIGHT_CUDA_LIBRARY";

    private Settings() {}

    /**
     * Looks a setting up; blank values count as unset.
     *
     * @param property the system property, read first
     * @param environmentVariable the environment variable, read when the property is unset
     * @return the value, trimmed, or empty
     */
    public static Optional<String> lookup(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
