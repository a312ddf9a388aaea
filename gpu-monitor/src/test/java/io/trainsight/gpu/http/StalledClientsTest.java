package io.trainsight.gpu.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.ScriptedProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that connect and stall: they must not keep a scrape or the health check from answering.
 */
class StalledClientsTest {

    /** Generous for a loaded machine: the attack used to block every request for 70 s or more. */
    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Socket> stalled = new ArrayList<>();
    private GpuMonitor monitor;
    private GpuExporter exporter;

    @BeforeEach
    void sample() {
        monitor = GpuMonitor.builder().addProbe(new ScriptedProbe(1, 40, true)).build();
        monitor.sampleNow();
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (exporter != null) {
            exporter.close();
        }
        monitor.close();
    }

    private Socket stall(String partialRequest) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port());
        stalled.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(exporter.url() + path)).timeout(ANSWER).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void start(ServerLimits limits) throws IOException {
        exporter = GpuExporter.builder().setMonitor(monitor).optPort(0).limits(limits).build();
        exporter.start();
    }

    private static ServerLimits limits(Duration headerTimeout, int perClient) {
        return new ServerLimits(headerTimeout, Duration.ofMinutes(10), perClient, 64, 16 * 1024);
    }

    @Test
    void twoSocketsThatSendHalfARequestDoNotBlockTheScrapeOrTheHealthCheck() throws Exception {
        // headers may take 10 minutes here: the answers below cannot come from a timeout
        start(limits(Duration.ofMinutes(10), 8));
        stall("GET / HTTP/1.1\r\n");
        stall("GET / HTTP/1.1\r\n");

        for (int i = 0; i < 3; i++) {
            assertThat(get("/healthz").body()).isEqualTo("ok\n");
            assertThat(get("/metrics").body()).contains("gpu_utilization");
        }
        assertThat(exporter.openConnections())
                .as("the stalled ones are still open")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aRequestWhoseHeadersDoNotArriveInTimeIsAnswered408AndClosed() throws Exception {
        start(limits(Duration.ofMillis(300), 8));
        Socket slow = stall("GET /metrics HTTP/1.1\r\nHost: x\r\n");
        slow.setSoTimeout((int) ANSWER.toMillis());

        String reply = readAll(slow.getInputStream());

        assertThat(reply).startsWith("HTTP/1.1 408 ").contains("Connection: close");
    }

    @Test
    void aClientSendingOneByteAtATimeIsCutOffAtTheHeaderDeadline() throws Exception {
        start(limits(Duration.ofMillis(500), 8));
        Socket drip = stall("G");
        drip.setSoTimeout((int) ANSWER.toMillis());
        OutputStream out = drip.getOutputStream();
        String rest = "ET /metrics HTTP/1.1\r\nX-Padding: " + "a".repeat(10_000);
        try {
            for (char c : rest.toCharArray()) { // never finishes its headers
                out.write(c);
                out.flush();
                Thread.sleep(1);
            }
        } catch (IOException closedByTheServer) {
            // the server cut it off, as it should
        }
        assertThat(readAll(drip.getInputStream())).startsWith("HTTP/1.1 408 ");
    }

    @Test
    void connectionsBeyondThePerClientLimitAreRefusedWith503UntilOneCloses() throws Exception {
        start(limits(Duration.ofMinutes(10), 2));
        Socket first = stall("GET / HTTP/1.1\r\n");
        stall("GET / HTTP/1.1\r\n");

        Socket third = new Socket(InetAddress.getLoopbackAddress(), exporter.port());
        stalled.add(third);
        third.setSoTimeout((int) ANSWER.toMillis());
        assertThat(readAll(third.getInputStream()))
                .startsWith("HTTP/1.1 503 ")
                .contains("Retry-After: 1")
                .contains("too many connections from 127.0.0.1");

        first.close();
        long deadline = System.nanoTime() + ANSWER.toNanos();
        HttpResponse<String> health = null;
        while (health == null || health.statusCode() == 503) {
            assertThat(System.nanoTime())
                    .as("the closed connection is released")
                    .isLessThan(deadline);
            health = get("/healthz");
        }
        assertThat(health.body()).isEqualTo("ok\n");
    }

    @Test
    void keptAliveRequestsAreAnsweredInOrderOnOneConnectionWithoutNagle() throws Exception {
        start(ServerLimits.DEFAULT);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                    + "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                                    + "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String replies = readAll(socket.getInputStream());
            assertThat(replies.split("HTTP/1.1 ", -1))
                    .extracting(reply -> reply.length() < 3 ? "" : reply.substring(0, 3))
                    .containsExactly("", "200", "200", "404");
            assertThat(replies)
                    .contains("Content-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n")
                    .endsWith(
                            "Connection: close\r\n\r\n"
                                    + "not found; try /metrics, /gpu-status, /healthz\n");
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            socket.getOutputStream()
                    .write("GET /healthz HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout((int) ANSWER.toMillis());
            assertThat(socket.getInputStream().read()).isEqualTo('H');
            assertThat(exporter.openConnections())
                    .isNotEmpty()
                    .allSatisfy(
                            server ->
                                    assertThat(server.getTcpNoDelay()).as("TCP_NODELAY").isTrue());
        }
    }

    @Test
    void malformedOversizedAndBodiedRequestsAreAnsweredAndClosed() throws Exception {
        start(ServerLimits.DEFAULT);
        assertThat(exchange("BREW / HTCPCP/1.0\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET / HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505 ");
        assertThat(exchange("GET /healthz HTTP/1.1\r\nX: " + "y".repeat(20_000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertThat(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 405 ")
                .contains("Connection: close");
        assertThat(exchange("GET /healthz HTTP/1.0\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ")
                .contains("Connection: close");
    }

    /** Sends bytes on a new connection and reads until the server closes it. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            socket.setSoTimeout((int) ANSWER.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
