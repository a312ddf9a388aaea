package io.trainsight.gpu.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's HTTP/1.1 server: an accepting thread and one thread per open connection, so a
 * client that stalls holds only its own. Connections are limited per remote address and in all; one
 * beyond a limit is answered 503 and closed at once. GET and HEAD requests without a body are what
 * it is for; anything else is read up to its headers and answered by the handler, then closed.
 */
final class HttpListener implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(HttpListener.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ServerSocket server;
    private final Function<Request, Response> handler;
    private final ServerLimits limits;
    private final ExecutorService connections;
    private final Thread acceptor;
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HttpListener(
            ServerSocket server, Function<Request, Response> handler, ServerLimits limits) {
        this.server = server;
        this.handler = handler;
        this.limits = limits;
        this.connections =
                Executors.newCachedThreadPool(
                        task -> {
                            Thread thread = new Thread(task, "trainsight-exporter");
                            thread.setDaemon(true);
                            return thread;
                        });
        this.acceptor = new Thread(this::accept, "trainsight-exporter-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Binds and starts answering.
     *
     * @param address the address to listen on
     * @param port the port, 0 for any free one
     * @param handler answers a request; must not throw
     * @param limits what a client may hold
     * @return the running listener
     * @throws IOException if the port cannot be bound
     */
    static HttpListener start(
            InetAddress address, int port, Function<Request, Response> handler, ServerLimits limits)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        HttpListener listener = new HttpListener(server, handler, limits);
        listener.acceptor.start();
        return listener;
    }

    /** Returns the port listened on. */
    int port() {
        return server.getLocalPort();
    }

    /** Returns the connections open now, for tests. */
    List<Socket> openConnections() {
        return List.copyOf(open);
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    logger.warn("The exporter stopped accepting connections: {}", e.getMessage());
                }
                return;
            }
            long opened = System.nanoTime();
            InetAddress client = socket.getInetAddress();
            String refusal = admit(client);
            if (refusal != null) {
                refuse(socket, refusal);
                continue;
            }
            open.add(socket);
            try {
                connections.execute(
                        new HttpConnection(
                                socket, handler, limits, opened, () -> release(client, socket)));
            } catch (RuntimeException e) { // closed meanwhile
                release(client, socket);
                closeQuietly(socket);
            }
        }
    }

    private synchronized String admit(InetAddress client) {
        int mine = perClient.getOrDefault(client, 0);
        if (mine >= limits.perClient()) {
            return "too many connections from " + client.getHostAddress() + "; close one and retry";
        }
        if (open.size() >= limits.total()) {
            return "too many connections; retry shortly";
        }
        perClient.put(client, mine + 1);
        return null;
    }

    private synchronized void release(InetAddress client, Socket socket) {
        if (open.remove(socket)) {
            perClient.computeIfPresent(client, (address, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Answers 503 on the accepting thread: a fresh socket takes a small reply without blocking. */
    private static void refuse(Socket socket, String why) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    Response.of(503, TEXT, why + "\n")
                            .with("Retry-After", "1")
                            .encode(false, false));
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            logger.debug("Cannot refuse a connection: {}", e.getMessage());
        }
    }

    /** Stops accepting, closes every connection and releases the port. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        connections.shutdownNow();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            if (!(e instanceof SocketException)) {
                logger.debug("Cannot close {}: {}", closeable, e.getMessage());
            }
        }
    }
}
