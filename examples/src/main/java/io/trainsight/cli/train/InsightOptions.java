package io.trainsight.cli.train;

import io.trainsight.cli.serve.ServeOptions;
import io.trainsight.gpu.Durations;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code trainsight train} watches the run: the GPU monitor and its sampling interval, the
 * memory limit the host is measured against without a GPU, the diagnosis thresholds, and the live
 * server. These may change when a run resumes.
 */
final class InsightOptions {

    @Option(
            names = "--no-monitor",
            description =
                    "Do not sample the GPU or the host: the report then has the step timing only.")
    boolean noMonitor;

    @Option(
            names = "--sample-interval",
            paramLabel = "DURATION",
            defaultValue = "50ms",
            description = "Time between samples of the GPU and host: 10ms to 10s (default: 50ms).")
    String sampleInterval;

    @Option(
            names = "--memory-limit",
            paramLabel = "SIZE",
            description =
                    "Without a GPU: the memory the process's resident memory is measured against"
                            + " (such as 2g or 512m), in place of device memory; default: the"
                            + " cgroup limit, else the machine's memory.")
    String memoryLimit;

    @Option(
            names = "--threshold",
            paramLabel = "NAME=VALUE",
            description =
                    "Change a diagnosis threshold, such as input-bound-high=0.3 (repeatable;"
                            + " names in the README).")
    Map<String, String> thresholds = new LinkedHashMap<>();

    @Option(
            names = "--phase-sync-every",
            paramLabel = "N",
            defaultValue = "20",
            description =
                    "On a GPU: time forward, backward and optimizer as device time on every N-th"
                            + " step by waiting for the GPU at each phase boundary (1: every step;"
                            + " 0: never, the steps are then timed whole). Each such step loses"
                            + " the overlap of host and GPU work. No effect on the CPU. Default:"
                            + " ${DEFAULT-VALUE}.")
    int phaseSyncEvery;

    @Option(
            names = "--serve",
            description =
                    "Serve the run live while it trains: /metrics, /gpu-status, /steps?since=N and"
                            + " a dashboard at /.")
    boolean serve;

    @Mixin ServeOptions serving;

    /**
     * The checked settings.
     *
     * @param monitor whether to sample
     * @param interval the sampling interval
     * @param memoryLimit the host's memory limit, or null
     * @param thresholds the diagnosis thresholds
     * @param serve the exporter's settings, or null without {@code --serve}
     * @param phaseSyncEvery on a GPU, the interval of the steps timed as device time
     */
    record Settings(
            boolean monitor,
            Duration interval,
            MemoryLimit memoryLimit,
            DiagnosisThresholds thresholds,
            ServeOptions.ServeSettings serve,
            int phaseSyncEvery) {}

    /** Checks every value; a wrong one is a usage error naming it. */
    Settings check(Function<String, ParameterException> usage, boolean serveGivenOptions) {
        Duration interval;
        try {
            interval = Durations.parse(sampleInterval);
        } catch (IllegalArgumentException e) {
            throw usage.apply("--sample-interval: " + e.getMessage());
        }
        if (interval.compareTo(GpuMonitor.MIN_INTERVAL) < 0
                || interval.compareTo(GpuMonitor.MAX_INTERVAL) > 0) {
            throw usage.apply(
                    "--sample-interval " + sampleInterval + " is out of range; valid: 10ms to 10s");
        }
        MemoryLimit limit = null;
        if (memoryLimit != null) {
            try {
                limit = MemoryLimit.parse(memoryLimit, "--memory-limit");
            } catch (IllegalArgumentException e) {
                throw usage.apply("--memory-limit: " + e.getMessage());
            }
        }
        DiagnosisThresholds.Builder builder = DiagnosisThresholds.builder();
        DiagnosisThresholds checked;
        try {
            for (Map.Entry<String, String> entry : thresholds.entrySet()) {
                builder.set(entry.getKey(), number(entry.getKey(), entry.getValue()));
            }
            checked = builder.build();
        } catch (IllegalArgumentException e) {
            throw usage.apply("--threshold: " + e.getMessage());
        }
        if (phaseSyncEvery < 0) {
            throw usage.apply(
                    "--phase-sync-every must be 0 (never) or a positive number of steps, got "
                            + phaseSyncEvery);
        }
        if (serveGivenOptions && !serve) {
            throw usage.apply("--port, --bind and --token go with --serve");
        }
        ServeOptions.ServeSettings server = null;
        if (serve) {
            if (noMonitor) {
                throw usage.apply(
                        "--serve needs the monitor (it serves /gpu-status and the GPU meters);"
                                + " drop --no-monitor");
            }
            server = serving.check(usage);
        }
        return new Settings(!noMonitor, interval, limit, checked, server, phaseSyncEvery);
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }
}
