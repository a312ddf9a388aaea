package io.trainsight.gpu.http;

import java.util.Map;

/**
 * An extra path the exporter answers, added with {@link GpuExporter.Builder#addRoute}: an
 * application serves its own JSON or page beside {@code /metrics} under the same rules (token,
 * GET/HEAD only, 404 elsewhere, no stack traces), without the exporter knowing what it serves.
 */
@FunctionalInterface
public interface HttpRoute {

    /**
     * Answers one GET or HEAD request; called on the exporter's threads, so it must be thread-safe.
     *
     * @param query the request's query parameters, decoded (the last value of a repeated name)
     * @return the reply
     * @throws IllegalArgumentException when a parameter is wrong: answered 400 with its message
     */
    Reply answer(Map<String, String> query);

    /**
     * What a route answers.
     *
     * @param status the HTTP status
     * @param contentType the {@code Content-Type}
     * @param body the body, sent as UTF-8
     */
    record Reply(int status, String contentType, String body) {

        /** The content type of JSON replies. */
        public static final String JSON = "application/json";

        /** The content type of HTML pages. */
        public static final String HTML = "text/html; charset=utf-8";

        /**
         * A 200 reply.
         *
         * @param contentType the content type
         * @param body the body
         * @return the reply
         */
        public static Reply ok(String contentType, String body) {
            return new Reply(200, contentType, body);
        }
    }
}
