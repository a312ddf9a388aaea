package io.trainsight.gpu.http;

import java.time.Duration;

/**
 * How much a client of the exporter may hold: the time to send a request's line and headers, the
 * time a kept-alive connection may wait for its next request, the connections one address may have
 * open, the connections in all, and the size of a request's headers. Every connection has its own
 * thread, so a client that stalls holds one thread of its own and no one else's.
 *
 * @param headerTimeout from a request's first byte (or a connection's opening) to its blank line
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param perClient connections one remote address may have open at once
 * @param total connections open at once
 * @param maxHeaderBytes the request line and headers, in bytes
 */
record ServerLimits(
        Duration headerTimeout,
        Duration idleTimeout,
        int perClient,
        int total,
        int maxHeaderBytes) {

    /** The defaults: 5 s for headers, 30 s idle, 8 connections per address, 64 in all, 16 KiB. */
    static final ServerLimits DEFAULT =
            new ServerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 8, 64, 16 * 1024);

    ServerLimits {
        if (headerTimeout.isNegative()
                || headerTimeout.isZero()
                || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (perClient < 1 || total < perClient || maxHeaderBytes < 256) {
            throw new IllegalArgumentException(
                    "limits out of range: "
                            + perClient
                            + " per client, "
                            + total
                            + " in all, "
                            + maxHeaderBytes
                            + " header bytes");
        }
    }
}
