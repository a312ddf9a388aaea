package io.trainsight.gpu.http;

/**
 * Says in one line that the exporter needs Micrometer's Prometheus registry when it is missing:
 * gpu-monitor declares {@code micrometer-registry-prometheus} optional, so an application that only
 * samples does not carry it. This class names no Prometheus type, so it loads without it.
 */
final class PrometheusCheck {

    static final String REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";
    static final String MISSING =
            "The GPU exporter serves /metrics through Micrometer's Prometheus registry, which is"
                    + " not on the class path: add the dependency"
                    + " io.micrometer:micrometer-registry-prometheus, in the version of your"
                    + " micrometer-core";

    private PrometheusCheck() {}

    /**
     * Checks that the Prometheus registry can be loaded.
     *
     * @throws IllegalStateException naming the missing dependency
     */
    static void require() {
        try {
            Class.forName(REGISTRY, false, PrometheusCheck.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(MISSING, e);
        }
    }
}
