package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trainsight.cli.CliRun;
import io.trainsight.cli.TrainsightCli;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --serve}: the live endpoints while a run trains, and the exporter's rules. */
class ServeTest {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path tmp;

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theRunIsServedLiveWhileItTrains() throws Exception {
        int port = freePort();
        Path out = tmp.resolve("live");
        CompletableFuture<CliRun> training =
                CompletableFuture.supplyAsync(
                        () ->
                                CliRun.of(
                                        "train",
                                        "--example",
                                        "io-bound",
                                        "--steps",
                                        "120",
                                        "--workers",
                                        "0",
                                        "--serve",
                                        "--port",
                                        "" + port,
                                        "--out",
                                        out.toString()));
        HttpResponse<String> steps =
                await("a /steps answer with steps while the run trains")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreExceptionsInstanceOf(java.io.IOException.class) // not listening yet
                        .failFast("the run ended first", training::isDone)
                        .until(
                                () -> get(port, "/steps?since=0"),
                                answer ->
                                        answer.statusCode() == 200
                                                && answer.body().contains("\"step\":3"));
        assertThat(steps.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(steps.body())
                .contains("\"steps\":[{\"step\":1,")
                .contains("\"next\":")
                .contains("\"source\":\"host\"")
                .contains("\"figures\":");
        long next = Long.parseLong(steps.body().replaceAll(".*\"next\":(\\d+).*", "$1"));
        HttpResponse<String> later = get(port, "/steps?since=" + next);
        assertThat(later.body()).doesNotContain("\"step\":" + next + ",");

        HttpResponse<String> metrics = get(port, "/metrics");
        assertThat(metrics.body()).contains("train_step_duration").contains("process_cpu_usage");
        HttpResponse<String> page = get(port, "/");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("trainsight live: io-bound").contains("\"live\":true");
        assertThat(get(port, "/gpu-status").body()).contains("\"host\":{");
        HttpResponse<String> bad = get(port, "/steps?since=soon");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("since must be a step number, 0 or more, got 'soon'\n");

        CliRun run = training.get(120, TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void servingBeyondLoopbackWithoutATokenIsRefusedBeforeTraining() {
        Path out = tmp.resolve("never");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--serve",
                        "--bind",
                        "0.0.0.0",
                        "--out",
                        out.toString());
        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .contains("--bind 0.0.0.0 is not a loopback address")
                .contains("TRAINSIGHT_TOKEN_FILE");
        assertThat(out).doesNotExist();
    }

    @Test
    void servingOptionsNeedServeAndAPortInUseIsAUsageError() throws Exception {
        Path out = tmp.resolve("never");
        CliRun lonely = CliRun.of("train", "--example", "mlp", "--port", "9999", "--out", "" + out);
        assertThat(lonely.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(lonely.err()).contains("--port, --bind and --token go with --serve");
        try (ServerSocket taken =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun busy =
                    CliRun.of(
                            "train",
                            "--example",
                            "mlp",
                            "--serve",
                            "--port",
                            "" + taken.getLocalPort(),
                            "--out",
                            "" + out);
            assertThat(busy.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
            assertThat(busy.err()).contains("is the port in use?");
        }
        CliRun noMonitor =
                CliRun.of(
                        "train", "--example", "mlp", "--serve", "--no-monitor", "--out", "" + out);
        assertThat(noMonitor.err()).contains("--serve needs the monitor");
        assertThat(out).doesNotExist();
    }
}
