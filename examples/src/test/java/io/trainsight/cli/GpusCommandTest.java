package io.trainsight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.gpu.Settings;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code trainsight gpus}, run in-process against the fake NVML or without one. */
class GpusCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void forgetLibrary() {
        System.clearProperty(Settings.NVML_LIBRARY_PROPERTY);
    }

    private int run(String... args) {
        return TrainsightCli.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
    }

    private static FakeNvml twoGpus() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(2);
        for (int d = 0; d < 2; d++) {
            fake.set(d, "util_gpu", 87 + d)
                    .set(d, "temperature", 66)
                    .set(d, "mem_total", 80L << 30)
                    .set(d, "mem_used", (20L + d) << 30)
                    .set(d, "power", 312_500)
                    .set(d, "power_limit", 700_000);
        }
        fake.processes(0, new int[] {4242}, new long[] {1L << 30});
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, fake.path().toString());
        return fake;
    }

    @Test
    void printsOneLinePerGpuLikeGpustat() {
        twoGpus();

        assertThat(run("gpus")).isZero();

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains("driver 550.54.15");
        assertThat(lines[1])
                .startsWith("[0] Fake GPU 0 |  66°C,  87 % |  20480 /  81920 MiB |  312 /  700 W |")
                .endsWith("4242(1024M)");
        assertThat(lines[2]).startsWith("[1] Fake GPU 1 |  66°C,  88 % |  21504 /  81920 MiB");
    }

    @Test
    void printsJsonWithTheProcesses() throws Exception {
        FakeNvml fake = twoGpus();

        assertThat(run("gpus", "--json")).isZero();

        JsonNode json = mapper.readTree(out.toString());
        assertThat(out.toString().strip()).doesNotContain("\n");
        assertThat(json.get("driver_version").asText()).isEqualTo("550.54.15");
        JsonNode gpu = json.get("gpus").get(0);
        assertThat(gpu.get("utilization_gpu_percent").asInt()).isEqualTo(87);
        assertThat(gpu.get("memory_used_bytes").asLong()).isEqualTo(20L << 30);
        assertThat(gpu.get("processes").get(0).get("pid").asInt()).isEqualTo(4242);
        assertThat(json.get("host").get("process_cpu_percent").isNumber()).isTrue();
        assertThat(fake.initCount()).as("NVML shut down").isZero();
    }

    @Test
    void watchPrintsOneJsonObjectPerLineAndStopsAtTheCount() throws Exception {
        twoGpus();

        assertThat(run("gpus", "--json", "--watch", "--interval", "10ms", "--count", "3")).isZero();

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(mapper.readTree(line).get("gpus")).hasSize(2);
        }
    }

    @Test
    void withoutAGpuPrintsTheHostLine() throws Exception {
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, "/nonexistent/libnvidia-ml.so.1");

        assertThat(run("gpus")).isZero();
        assertThat(out.toString())
                .contains("no NVIDIA GPU (/nonexistent/libnvidia-ml.so.1 could not be loaded")
                .contains("[host] cpu ");

        out.getBuffer().setLength(0);
        assertThat(run("gpus", "--json")).isZero();
        JsonNode json = mapper.readTree(out.toString());
        assertThat(json.get("gpus")).isEmpty();
        assertThat(json.get("host").get("memory_total_bytes").asLong()).isPositive();
    }

    @Test
    void wrongCommandLinesGetOneLineAndExitCode2() {
        String[][] cases = {
            {"--interval 5ms is out of range; valid: 10ms to 10s", "--watch", "--interval", "5ms"},
            {"--interval 11s is out of range", "--watch", "--interval", "11s"},
            {"--interval: '2x' is not a duration", "--interval", "2x"},
            {"--count 3 needs --watch", "--count", "3"},
            {"--count must be a positive number of lines, got 0", "--watch", "--count", "0"},
            {"cannot be combined with --watch or --json", "--serve", "--json"},
            {"--port goes with --serve", "--port", "9500"},
            {"--token goes with --serve", "--token", "0123456789abcdef0"},
            {"--token: the token has 5 characters; use 16 to 256", "--serve", "--token", "short"},
            {"--token: the token has a space", "--serve", "--token", "with space 0123456789"},
            {"--bind 0.0.0.0 is not a loopback address", "--serve", "--bind", "0.0.0.0"},
            {"--port must be from 0 to 65535, got 70000", "--serve", "--port", "70000"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = new String[c.length];
            args[0] = "gpus";
            System.arraycopy(c, 1, args, 1, c.length - 1);

            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).contains(c[0]);
            assertThat(err.toString().strip().lines().count()).isEqualTo(1);
            assertThat(err.toString()).doesNotContain("with space");
        }
    }

    @Test
    void aPortInUseIsAUsageError() throws Exception {
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, "/nonexistent/libnvidia-ml.so.1");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(run("gpus", "--serve", "--port", Integer.toString(port))).isEqualTo(2);
            assertThat(err.toString())
                    .contains("--port " + port + ": cannot listen on 127.0.0.1:" + port)
                    .contains("is the port in use?");
        }
    }

    @Test
    void anAddressNotOfThisMachineIsBlamedOnBindNotOnThePort() {
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, "/nonexistent/libnvidia-ml.so.1");
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
        assertThat(
                        run(
                                "gpus",
                                "--serve",
                                "--port",
                                "0",
                                "--bind",
                                "192.0.2.1",
                                "--token",
                                "0123456789abcdef-token"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--bind 192.0.2.1: cannot listen on 192.0.2.1:0")
                .contains("192.0.2.1 is not an address of this machine")
                .doesNotContain("port in use");
    }

    @Test
    void serveAnswersUntilInterrupted() throws Exception {
        twoGpus();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server =
                new Thread(
                        () ->
                                exit.set(
                                        run(
                                                "gpus",
                                                "--serve",
                                                "--port",
                                                "0",
                                                "--interval",
                                                "50ms",
                                                "--token",
                                                "0123456789abcdef-token")));
        server.start();
        Pattern url = Pattern.compile("Serving (http://127\\.0\\.0\\.1:\\d+)/metrics");
        Matcher matcher = url.matcher("");
        await("the serving line")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .failFast("the command ended", () -> !server.isAlive())
                .until(() -> matcher.reset(out.toString()).find());

        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> metrics =
                client.send(
                        HttpRequest.newBuilder(URI.create(matcher.group(1) + "/metrics"))
                                .header("Authorization", "Bearer 0123456789abcdef-token")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous =
                client.send(
                        HttpRequest.newBuilder(URI.create(matcher.group(1) + "/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        server.interrupt();
        server.join(30_000);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("gpu_utilization_percent{gpu_index=\"1\"");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(server.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }
}
