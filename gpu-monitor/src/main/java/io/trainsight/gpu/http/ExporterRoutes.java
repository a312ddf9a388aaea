package io.trainsight.gpu.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.SnapshotJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every request of the exporter: the token first (401), then the path (404) and the method
 * (405), then {@code /metrics}, {@code /gpu-status}, {@code /healthz} or a route the application
 * added. A route's {@link IllegalArgumentException} answers 400 with its message; any other failure
 * answers 500 with one line; the stack trace goes to the log, never to the client.
 */
final class ExporterRoutes implements Function<Request, Response> {

    private static final Logger logger = LoggerFactory.getLogger(ExporterRoutes.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final GpuMonitor monitor;
    private final PrometheusMeterRegistry registry;
    private final AccessToken token;
    private final Map<String, HttpRoute> extra;
    private final String known;

    ExporterRoutes(
            GpuMonitor monitor,
            PrometheusMeterRegistry registry,
            AccessToken token,
            Map<String, HttpRoute> extra) {
        this.monitor = monitor;
        this.registry = registry;
        this.token = token;
        this.extra = Map.copyOf(extra);
        StringBuilder paths = new StringBuilder("/metrics, /gpu-status, /healthz");
        extra.keySet().stream().sorted().forEach(path -> paths.append(", ").append(path));
        this.known = paths.toString();
    }

    @Override
    public Response apply(Request request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            logger.warn("The exporter failed on {}", request.path(), e);
            return Response.of(500, TEXT, "internal error\n");
        }
    }

    private Response route(Request request) {
        if (token != null && !token.accepts(request.header("authorization"))) {
            return Response.of(401, TEXT, "a valid bearer token is required\n")
                    .with("WWW-Authenticate", "Bearer realm=\"trainsight\"");
        }
        String path = request.path();
        HttpRoute route = extra.get(path);
        if (route == null
                && !path.equals("/metrics")
                && !path.equals("/gpu-status")
                && !path.equals("/healthz")) {
            return Response.of(404, TEXT, "not found; try " + known + "\n");
        }
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.of(405, TEXT, "method " + method + " not allowed; use GET\n")
                    .with("Allow", "GET, HEAD");
        }
        if (route != null) {
            return answer(request, route);
        }
        return switch (path) {
            case "/metrics" -> Response.of(200, PROMETHEUS_TEXT, registry.scrape());
            case "/gpu-status" -> Response.of(200, JSON, status());
            default -> Response.of(200, TEXT, "ok\n");
        };
    }

    private static Response answer(Request request, HttpRoute route) {
        HttpRoute.Reply reply;
        try {
            reply = route.answer(query(request.rawQuery()));
        } catch (IllegalArgumentException e) {
            return Response.of(400, TEXT, e.getMessage() + "\n");
        }
        return Response.of(reply.status(), reply.contentType(), reply.body());
    }

    /** Decodes a query string; a name without a value maps to "". */
    static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private String status() {
        return monitor.latest()
                .map(snapshot -> SnapshotJson.write(monitor, snapshot, Map.of()) + "\n")
                .orElse("{\"gpus\":[],\"error\":\"no sample yet\"}\n");
    }
}
