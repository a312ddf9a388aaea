package io.trainsight.gpu.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.ScriptedProbe;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter over real HTTP on 127.0.0.1, on a port the system chooses. */
class GpuExporterTest {

    private static final String TOKEN = "s3cret-token-0123456789";

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private GpuMonitor monitor;
    private GpuExporter exporter;

    @BeforeEach
    void sample() {
        monitor = GpuMonitor.builder().addProbe(new ScriptedProbe(1, 40, true)).build();
        monitor.sampleNow();
    }

    @AfterEach
    void close() {
        if (exporter != null) {
            exporter.close();
        }
        monitor.close();
    }

    private GpuExporter start(String token) throws IOException {
        GpuExporter.Builder builder = GpuExporter.builder().setMonitor(monitor).optPort(0);
        if (token != null) {
            builder.optToken(token);
        }
        exporter = builder.build();
        exporter.start();
        return exporter;
    }

    private HttpResponse<String> send(String method, String path, String authorization)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(exporter.url() + path))
                        .timeout(Duration.ofSeconds(10))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextJsonAndHealth() throws Exception {
        start(null);

        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("# HELP gpu_utilization_percent")
                .contains(
                        "gpu_utilization_percent{gpu_index=\"0\",gpu_name=\"Scripted 0\","
                                + "gpu_uuid=\"GPU-scripted-40-0\"} 40.0")
                .contains("gpu_energy_joules_total{")
                .contains("host_memory_total_bytes 40.0")
                .as("Micrometer's own JVM and process meters, not copies under other names")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("process_cpu_usage")
                .contains("system_cpu_count")
                .doesNotContain("host_jvm")
                .doesNotContain("host_process_cpu");

        HttpResponse<String> status = send("GET", "/gpu-status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(status.body())
                .startsWith("{\"time\":\"")
                .contains(
                        "\"gpus\":[{\"index\":0,\"name\":\"Scripted"
                                + " 0\",\"uuid\":\"GPU-scripted-40-0\","
                                + "\"lost\":false,\"utilization_gpu_percent\":40,")
                .contains("\"host\":{\"process_cpu_percent\":0.0,");

        assertThat(send("GET", "/healthz", null).body()).isEqualTo("ok\n");
        HttpResponse<String> head = send("HEAD", "/healthz", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void answersUnknownPathsAndWrongMethodsWithoutStackTraces() throws Exception {
        start(null);

        HttpResponse<String> missing = send("GET", "/admin", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("Exception").doesNotContain("\tat ");

        HttpResponse<String> post = send("POST", "/metrics", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send("DELETE", "/healthz", null).statusCode()).isEqualTo(405);
    }

    @Test
    void aTokenIsCheckedOnEveryRequest() throws Exception {
        start(TOKEN);

        for (String path : new String[] {"/metrics", "/gpu-status", "/healthz", "/admin"}) {
            HttpResponse<String> anonymous = send("GET", path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(send("GET", "/healthz", "Bearer wrong-token-0123456789").statusCode())
                .isEqualTo(401);
        assertThat(send("GET", "/healthz", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/healthz", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", "bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void anAddressBeyondLoopbackNeedsAWellFormedToken() {
        assertThatThrownBy(
                        () ->
                                GpuExporter.builder()
                                        .setMonitor(monitor)
                                        .optBindAddress("0.0.0.0")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bind address 0.0.0.0 is not loopback")
                .hasMessageContaining("needs a token");
        assertThatThrownBy(
                        () -> GpuExporter.builder().setMonitor(monitor).optToken("short").build())
                .hasMessage(
                        "token: the token has 5 characters; use 16 to 256 visible ASCII"
                                + " characters");
        assertThatThrownBy(
                        () ->
                                GpuExporter.builder()
                                        .setMonitor(monitor)
                                        .optToken("has a space in it 0123")
                                        .build())
                .hasMessageContaining("space, control or non-ASCII character at position 4")
                .hasMessageNotContaining("has a space in it");
        assertThatThrownBy(() -> GpuExporter.builder().setMonitor(monitor).optPort(70000).build())
                .hasMessage("port must be from 0 to 65535, got 70000");
        assertThat(
                        GpuExporter.builder()
                                .setMonitor(monitor)
                                .optBindAddress("0.0.0.0")
                                .optToken(TOKEN)
                                .build())
                .isNotNull();
    }

    @Test
    void aPortInUseIsAOneLineError() throws Exception {
        start(null);
        int taken = exporter.port();
        try (GpuExporter second =
                GpuExporter.builder().setMonitor(monitor).optPort(taken).build()) {
            assertThatThrownBy(second::start)
                    .isInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken)
                    .hasMessageEndingWith("is the port in use?")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void addedRoutesAnswerUnderTheSameRules() throws Exception {
        exporter =
                GpuExporter.builder()
                        .setMonitor(monitor)
                        .optPort(0)
                        .optToken(TOKEN)
                        .addRoute(
                                "/steps",
                                query -> {
                                    String since = query.getOrDefault("since", "0");
                                    if (!since.matches("\\d+")) {
                                        throw new IllegalArgumentException(
                                                "since must be a step number, got " + since);
                                    }
                                    return HttpRoute.Reply.ok(
                                            HttpRoute.Reply.JSON, "{\"since\":" + since + "}");
                                })
                        .addRoute("/", query -> HttpRoute.Reply.ok(HttpRoute.Reply.HTML, "<p>hi"))
                        .build();
        exporter.start();
        String bearer = "Bearer " + TOKEN;

        HttpResponse<String> steps = send("GET", "/steps?since=12&x", bearer);
        assertThat(steps.statusCode()).isEqualTo(200);
        assertThat(steps.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(steps.body()).isEqualTo("{\"since\":12}");
        HttpResponse<String> bad = send("GET", "/steps?since=x%20y", bearer);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("since must be a step number, got x y\n");
        assertThat(send("GET", "/", bearer).body()).isEqualTo("<p>hi");
        assertThat(send("GET", "/steps", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/steps", bearer).statusCode()).isEqualTo(405);
        HttpResponse<String> missing = send("GET", "/stepsx", bearer);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/steps").contains("/metrics");
    }

    @Test
    void routesMayNotShadowTheBuiltInPaths() {
        GpuExporter.Builder builder = GpuExporter.builder().setMonitor(monitor);
        HttpRoute route = query -> HttpRoute.Reply.ok(HttpRoute.Reply.JSON, "{}");
        assertThatThrownBy(() -> builder.addRoute("/metrics", route))
                .hasMessage("route path /metrics is already served");
        assertThatThrownBy(() -> builder.addRoute("steps", route))
                .hasMessageContaining("must start with /");
        builder.addRoute("/steps", route);
        assertThatThrownBy(() -> builder.addRoute("/steps", route))
                .hasMessage("route path /steps is already served");
    }

    @Test
    void theTokenComesFromTheOptionThenTheVariableThenTheFile(@TempDir Path tmp)
            throws IOException {
        Path secret = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        Map<String, String> both =
                Map.of(AccessToken.ENV, "from-variable-0123456", AccessToken.FILE_ENV, "" + secret);
        Map<String, String> fileOnly = Map.of(AccessToken.FILE_ENV, secret.toString());

        assertThat(AccessToken.configured("explicit-0123456789", "--token", both::get))
                .hasValue(new AccessToken.Configured("explicit-0123456789", "--token"));
        assertThat(AccessToken.configured(null, "--token", both::get).orElseThrow().source())
                .isEqualTo(AccessToken.ENV);
        AccessToken.Configured fromFile =
                AccessToken.configured(null, "--token", fileOnly::get).orElseThrow();
        assertThat(fromFile.value()).isEqualTo(TOKEN);
        assertThat(fromFile.source()).isEqualTo("TRAINSIGHT_TOKEN_FILE " + secret);
        assertThat(fromFile.toString()).doesNotContain(TOKEN);
        assertThat(AccessToken.configured(null, "--token", name -> null)).isEmpty();
        Map<String, String> missing = Map.of(AccessToken.FILE_ENV, tmp.resolve("none").toString());
        assertThatThrownBy(() -> AccessToken.configured(null, "--token", missing::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRAINSIGHT_TOKEN_FILE " + tmp.resolve("none"))
                .hasMessageContaining("cannot read the token file (NoSuchFileException)");
    }
}
