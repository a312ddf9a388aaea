package io.trainsight.cli;

import io.trainsight.cli.serve.ServeOptions;
import io.trainsight.gpu.Durations;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.Snapshot;
import io.trainsight.gpu.SnapshotJson;
import io.trainsight.gpu.http.GpuExporter;
import io.trainsight.gpu.internal.nvml.NvmlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code trainsight gpus}: the GPUs (or the host) now, repeatedly, as JSON, or over HTTP. */
@Command(
        name = "gpus",
        mixinStandardHelpOptions = true,
        description = {
            "Print one line per NVIDIA GPU like gpustat (index, name, temperature, utilization,"
                    + " memory, power, processes), or the host's line without a GPU.",
            "With --serve, run an HTTP exporter (/metrics, /gpu-status, /healthz) until Ctrl-C."
        })
final class GpusCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(GpusCommand.class);
    private static final Duration ONE_SHOT_GAP = Duration.ofMillis(100);

    @Spec private CommandSpec spec;

    @Option(names = "--json", description = "Print JSON: one object (per line with --watch).")
    private boolean json;

    @Option(names = "--watch", description = "Repeat every --interval until Ctrl-C or --count.")
    private boolean watch;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            description =
                    "Time between lines with --watch, and between samples with --serve: 10ms to"
                            + " 10s, such as 500ms or 2s (default: ${DEFAULT-VALUE}).")
    private String interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N.")
    private Integer count;

    @Option(names = "--serve", description = "Serve the metrics over HTTP until Ctrl-C.")
    private boolean serve;

    @Mixin private ServeOptions serving;

    @Override
    public Integer call() throws Exception {
        Duration every = validate();
        PrintWriter out = spec.commandLine().getOut();
        if (serve) {
            return serve(every, out);
        }
        try (GpuMonitor monitor = GpuMonitor.builder().optInterval(every).build()) {
            if (!watch) {
                monitor.sampleNow();
                Thread.sleep(ONE_SHOT_GAP.toMillis()); // CPU shares need two samples
                monitor.sampleNow();
                print(out, monitor, monitor.latest().orElseThrow());
                return 0;
            }
            monitor.start();
            boolean clear = !json && System.console() != null;
            for (long line = 0; count == null || line < count; line++) {
                // the first line waits for the second sample, so the CPU shares are there
                if (!monitor.awaitSamples(line + 2, every.multipliedBy(4).plusSeconds(5))) {
                    throw new IllegalStateException(
                            "the sampler stopped: "
                                    + monitor.failure()
                                            .map(String::valueOf)
                                            .orElse("no sample came"));
                }
                if (clear) {
                    out.print("\033[H\033[2J");
                }
                print(out, monitor, monitor.latest().orElseThrow());
            }
        }
        return 0;
    }

    private Duration validate() {
        Duration every;
        try {
            every = Durations.parse(interval);
        } catch (IllegalArgumentException e) {
            throw usage("--interval: " + e.getMessage());
        }
        if (every.compareTo(GpuMonitor.MIN_INTERVAL) < 0
                || every.compareTo(GpuMonitor.MAX_INTERVAL) > 0) {
            throw usage("--interval " + interval + " is out of range; valid: 10ms to 10s");
        }
        if (count != null && !watch) {
            throw usage("--count " + count + " needs --watch");
        }
        if (count != null && count < 1) {
            throw usage("--count must be a positive number of lines, got " + count);
        }
        if (serve && (watch || json)) {
            throw usage("--serve runs the exporter; it cannot be combined with --watch or --json");
        }
        for (String option : ServeOptions.NAMES) {
            if (!serve && spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw usage(option + " goes with --serve");
            }
        }
        return every;
    }

    private void print(PrintWriter out, GpuMonitor monitor, Snapshot snapshot) {
        Map<Integer, List<GpuProcess>> processes = new LinkedHashMap<>();
        for (int gpu = 0; gpu < monitor.devices().size(); gpu++) {
            try {
                processes.put(gpu, monitor.processes(gpu));
            } catch (NvmlException e) {
                logger.debug("No process list for GPU {}: {}", gpu, e.getMessage());
            }
        }
        if (json) {
            out.println(SnapshotJson.write(monitor, snapshot, processes));
        } else {
            out.print(GpuLines.format(monitor, snapshot, processes));
        }
        out.flush();
    }

    private int serve(Duration every, PrintWriter out) throws IOException {
        ServeOptions.ServeSettings settings = serving.check(this::usage);
        try (GpuMonitor monitor = GpuMonitor.builder().optInterval(every).build();
                GpuExporter exporter =
                        settings.applyTo(GpuExporter.builder().setMonitor(monitor)).build()) {
            monitor.start();
            try {
                exporter.start();
            } catch (BindException e) {
                throw usage(ServeOptions.bindFailure(settings, e));
            }
            out.println(
                    "Serving "
                            + exporter.url()
                            + "/metrics, /gpu-status and /healthz"
                            + (settings.token() != null ? " (bearer token required)" : "")
                            + "; Ctrl-C stops");
            out.flush();
            awaitShutdown(exporter, monitor);
        }
        return 0;
    }

    /** Blocks until Ctrl-C (the shutdown hook closes the server, then the monitor) or interrupt. */
    private static void awaitShutdown(GpuExporter exporter, GpuMonitor monitor) {
        CountDownLatch forever = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            exporter.close();
                            monitor.close();
                        },
                        "trainsight-gpus-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and closes both
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
