package io.trainsight.cli.train;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainsight.cli.serve.ServeOptions;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.http.GpuExporter;
import io.trainsight.gpu.http.HttpRoute;
import io.trainsight.insight.RunInsight;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live view of {@code train --serve}: gpu-monitor's exporter (same token and method rules) with
 * one registry for the GPU meters and the training run's {@code train.*} meters on {@code
 * /metrics}, plus {@code /steps?since=N} (the recent steps, findings and key figures as JSON) and
 * the dashboard at {@code /}. It listens before the run directory is made, so a port in use stops
 * the command before anything is written; the run is attached once it starts.
 */
final class LiveServer implements AutoCloseable {

    private final AtomicReference<RunInsight> run = new AtomicReference<>();
    private final AtomicReference<String> page = new AtomicReference<>();
    private final GpuExporter exporter;

    LiveServer(ServeOptions.ServeSettings settings, GpuMonitor monitor) {
        exporter =
                settings.applyTo(GpuExporter.builder().setMonitor(monitor))
                        .addRoute("/steps", this::steps)
                        .addRoute("/", query -> dashboard())
                        .build();
    }

    /** Binds the port and starts answering. */
    void start() throws IOException {
        exporter.start();
    }

    String url() {
        return exporter.url();
    }

    /**
     * The exporter's registry (GPU, JVM and process meters), for the run's {@code train.*} ones.
     */
    PrometheusMeterRegistry registry() {
        return exporter.registry();
    }

    void attach(RunInsight insight) {
        run.set(insight);
    }

    private HttpRoute.Reply steps(Map<String, String> query) {
        String since = query.getOrDefault("since", "0");
        long from;
        try {
            from = Long.parseLong(since);
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 0) {
            throw new IllegalArgumentException(
                    "since must be a step number, 0 or more, got '" + since + "'");
        }
        RunInsight insight = run.get();
        if (insight == null) {
            return new HttpRoute.Reply(
                    503, HttpRoute.Reply.JSON, "{\"error\":\"the run has not started yet\"}\n");
        }
        return HttpRoute.Reply.ok(HttpRoute.Reply.JSON, insight.liveJson(from));
    }

    private HttpRoute.Reply dashboard() {
        RunInsight insight = run.get();
        if (insight == null) {
            return new HttpRoute.Reply(
                    503, "text/plain; charset=utf-8", "the run has not started yet; reload\n");
        }
        return HttpRoute.Reply.ok(
                HttpRoute.Reply.HTML,
                page.updateAndGet(html -> html != null ? html : insight.dashboardHtml()));
    }

    @Override
    public void close() {
        exporter.close(); // and its registry
    }
}
