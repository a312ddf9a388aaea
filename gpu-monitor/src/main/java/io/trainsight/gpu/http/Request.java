package io.trainsight.gpu.http;

import java.util.Map;

/**
 * A request the exporter read: its method, its path (decoded) and raw query, and its headers by
 * lower-case name (the last value of a repeated one).
 *
 * @param method the method, such as {@code GET}
 * @param path the path, decoded, such as {@code /metrics}
 * @param rawQuery the query as sent, or null
 * @param headers the headers by lower-case name
 * @param keepAlive whether the connection stays open after the reply
 */
record Request(
        String method,
        String path,
        String rawQuery,
        Map<String, String> headers,
        boolean keepAlive) {

    /**
     * Returns a header.
     *
     * @param name its name, in lower case
     * @return its value, or null
     */
    String header(String name) {
        return headers.get(name);
    }
}
