package io.trainsight.gpu.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the exporter, on its own thread: reads requests under the limits,
 * answers each in one write, keeps the connection open while the client asks to, and closes it on a
 * stall, a malformed request or the exporter's close.
 */
final class HttpConnection implements Runnable {

    private static final Logger logger = LoggerFactory.getLogger(HttpConnection.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Socket socket;
    private final Function<Request, Response> handler;
    private final ServerLimits limits;
    private final long openedNanos;
    private final Runnable onClose;

    HttpConnection(
            Socket socket,
            Function<Request, Response> handler,
            ServerLimits limits,
            long openedNanos,
            Runnable onClose) {
        this.socket = socket;
        this.handler = handler;
        this.limits = limits;
        this.openedNanos = openedNanos;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (socket) {
            // replies are one write each, but a client's next request must not wait on Nagle either
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            OutputStream out = socket.getOutputStream();
            RequestReader reader = new RequestReader(socket, in, limits);
            long opened = openedNanos;
            while (true) {
                Request request;
                try {
                    request = reader.next(opened);
                } catch (RequestReader.Refused refused) {
                    out.write(
                            Response.of(refused.status(), TEXT, refused.getMessage() + "\n")
                                    .encode(false, false));
                    out.flush();
                    socket.shutdownOutput();
                    return;
                }
                if (request == null) {
                    return;
                }
                opened = -1;
                Response response = handler.apply(request);
                boolean keepAlive = request.keepAlive() && !socket.isClosed();
                out.write(response.encode(request.method().equals("HEAD"), keepAlive));
                out.flush();
                if (!keepAlive) {
                    socket.shutdownOutput();
                    return;
                }
            }
        } catch (IOException e) {
            logger.debug(
                    "Exporter connection from {} ended: {}",
                    socket.getInetAddress(),
                    e.getMessage());
        } finally {
            onClose.run();
        }
    }
}
