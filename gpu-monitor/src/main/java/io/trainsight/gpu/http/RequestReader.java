package io.trainsight.gpu.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the requests of one connection: the request line and headers must all arrive before a
 * deadline and fit in a size limit, whatever pace the client sends them at. A request with a body
 * is answered without reading it, and its connection closed.
 */
final class RequestReader {

    private static final int MAX_HEADERS = 100;

    private final Socket socket;
    private final InputStream in;
    private final ServerLimits limits;

    /** A request that cannot be served: answered with its status, then the connection closes. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    RequestReader(Socket socket, InputStream in, ServerLimits limits) {
        this.socket = socket;
        this.in = in;
        this.limits = limits;
    }

    /**
     * Waits for the next request and reads its line and headers.
     *
     * @param openedNanos when the connection opened, for its first request (which must then be
     *     whole within the header timeout of it), or -1 for a later one (which may come within the
     *     idle timeout, then must be whole within the header timeout of its first byte)
     * @return the request, or null when the client closed the connection or sent nothing in time
     * @throws Refused when the request is too slow, too large or malformed
     * @throws IOException when the connection fails
     */
    Request next(long openedNanos) throws Refused, IOException {
        long deadline;
        int first;
        if (openedNanos >= 0) {
            deadline = openedNanos + limits.headerTimeout().toNanos();
            first = read(deadline);
        } else {
            socket.setSoTimeout(millis(limits.idleTimeout().toNanos()));
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return null; // idle too long: close quietly
            }
            deadline = System.nanoTime() + limits.headerTimeout().toNanos();
        }
        if (first < 0) {
            return null;
        }
        int[] budget = {limits.maxHeaderBytes()};
        String line = line(first, deadline, budget);
        if (line.isEmpty()) { // a stray line break between requests is allowed once
            line = line(read(deadline), deadline, budget);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3
                || parts[0].isEmpty()
                || !parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new Refused(400, "malformed request line");
        }
        String version = parts[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Refused(version.startsWith("HTTP/") ? 505 : 400, "HTTP/1.1 or HTTP/1.0 only");
        }
        URI target = target(parts[1]);
        Map<String, String> headers = headers(deadline, budget);
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive =
                version.equals("HTTP/1.1")
                        ? !connection.contains("close")
                        : connection.contains("keep-alive");
        if (headers.containsKey("transfer-encoding") || contentLength(headers) > 0) {
            keepAlive = false; // the body is not read: the connection cannot carry another request
        }
        String path =
                target.getPath() == null || target.getPath().isEmpty() ? "/" : target.getPath();
        return new Request(parts[0], path, target.getRawQuery(), headers, keepAlive);
    }

    private static URI target(String raw) throws Refused {
        try {
            URI uri = new URI(raw);
            if (raw.startsWith("/") || (uri.isAbsolute() && uri.getRawPath() != null)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new Refused(400, "malformed request target");
    }

    private Map<String, String> headers(long deadline, int[] budget) throws IOException, Refused {
        Map<String, String> headers = new HashMap<>();
        for (int count = 0; ; count++) {
            String line = line(read(deadline), deadline, budget);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (count >= MAX_HEADERS) {
                throw new Refused(431, "too many request headers");
            }
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                throw new Refused(400, "malformed request header");
            }
            headers.put(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
    }

    private static long contentLength(Map<String, String> headers) throws Refused {
        String value = headers.get("content-length");
        if (value == null) {
            return 0;
        }
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Refused(400, "malformed Content-Length");
    }

    /** Reads the rest of a line whose first byte is given, without its line break. */
    private String line(int first, long deadline, int[] budget) throws IOException, Refused {
        StringBuilder line = new StringBuilder();
        for (int c = first; c != '\n'; c = read(deadline)) {
            if (c < 0) {
                throw new Refused(400, "the request ended early");
            }
            if (--budget[0] < 0) {
                throw new Refused(431, "request line and headers too large");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
                ? line.substring(0, end - 1)
                : line.toString();
    }

    /** Reads a byte before the deadline; at it, the request is refused with 408. */
    private int read(long deadline) throws IOException, Refused {
        if (in.available() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Refused(408, "the request did not arrive in time");
            }
            socket.setSoTimeout(millis(left));
        }
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw new Refused(408, "the request did not arrive in time");
        }
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }
}
