package io.trainsight.gpu.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reply of the exporter, turned into bytes in one piece: status line, headers and body go to the
 * socket in a single write, so a kept-alive connection never waits on Nagle's algorithm and the
 * client's delayed acknowledgement (about 40 ms a request otherwise).
 *
 * @param status the status
 * @param headers the headers besides {@code Content-Length} and {@code Connection}
 * @param body the body
 */
record Response(int status, Map<String, String> headers, byte[] body) {

    private static final Map<Integer, String> REASONS =
            Map.ofEntries(
                    Map.entry(200, "OK"),
                    Map.entry(400, "Bad Request"),
                    Map.entry(401, "Unauthorized"),
                    Map.entry(404, "Not Found"),
                    Map.entry(405, "Method Not Allowed"),
                    Map.entry(408, "Request Timeout"),
                    Map.entry(413, "Content Too Large"),
                    Map.entry(414, "URI Too Long"),
                    Map.entry(431, "Request Header Fields Too Large"),
                    Map.entry(500, "Internal Server Error"),
                    Map.entry(501, "Not Implemented"),
                    Map.entry(503, "Service Unavailable"),
                    Map.entry(505, "HTTP Version Not Supported"));

    /**
     * A reply with a text body.
     *
     * @param status the status
     * @param contentType the content type
     * @param body the body, sent as UTF-8
     * @return the reply
     */
    static Response of(int status, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns this reply with one more header.
     *
     * @param name the name
     * @param value the value
     * @return a new reply
     */
    Response with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, more, body);
    }

    /**
     * Encodes the reply.
     *
     * @param head whether it answers a HEAD request (headers only)
     * @param keepAlive whether the connection stays open
     * @return the bytes to write
     */
    byte[] encode(boolean head, boolean keepAlive) {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(REASONS.getOrDefault(status, "Status"))
                .append("\r\n");
        headers.forEach(
                (name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        text.append("Content-Length: ").append(body.length).append("\r\n");
        text.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        byte[] start = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(start.length + body.length);
        bytes.writeBytes(start);
        if (!head) {
            bytes.writeBytes(body);
        }
        return bytes.toByteArray();
    }
}
