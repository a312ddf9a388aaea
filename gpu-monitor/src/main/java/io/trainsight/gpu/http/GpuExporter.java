package io.trainsight.gpu.http;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trainsight.gpu.GpuMonitor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link GpuMonitor} over HTTP with the JDK's server: {@code /metrics} (Prometheus text),
 * {@code /gpu-status} (the latest sample as JSON), {@code /healthz}, and the paths an application
 * adds with {@link Builder#addRoute} (a {@link HttpRoute}). It binds to 127.0.0.1 unless told
 * otherwise; any other address needs a token, which every request must then carry as {@code
 * Authorization: Bearer TOKEN} (a token given on loopback is required too).
 *
 * <p>{@code /metrics} needs {@code io.micrometer:micrometer-registry-prometheus}, which gpu-monitor
 * declares optional: add it to the application's dependencies to serve (without it {@link
 * Builder#build()} says so). Without {@link Builder#optRegistry} the exporter makes its own
 * registry with the monitor's meters and Micrometer's JVM and process binders.
 *
 * <pre>{@code
 * try (GpuMonitor monitor = GpuMonitor.builder().build();
 *         GpuExporter exporter = GpuExporter.builder().setMonitor(monitor).optPort(9400).build()) {
 *     monitor.start();
 *     exporter.start();
 *     ...
 * }
 * }</pre>
 */
public final class GpuExporter implements AutoCloseable {

    /** The default port. */
    public static final int DEFAULT_PORT = 9400;

    /** The default address: loopback only. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    private final GpuMonitor monitor;
    private final PrometheusMeterRegistry registry;
    private final AutoCloseable ownRegistry;
    private final InetAddress address;
    private final int port;
    private final AccessToken token;
    private final Map<String, HttpRoute> routes;
    private HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    private GpuExporter(Builder builder, InetAddress address, AccessToken token) {
        this.monitor = builder.monitor;
        this.address = address;
        this.port = builder.port;
        this.token = token;
        this.routes = Map.copyOf(builder.routes);
        if (builder.registry != null) {
            this.registry = builder.registry;
            this.ownRegistry = null;
        } else {
            OwnRegistry own = new OwnRegistry(monitor);
            this.registry = own.registry();
            this.ownRegistry = own;
        }
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts answering; does nothing if it is started.
     *
     * @throws BindException if the port is in use or the address is not this machine's, with a
     *     one-line message naming both
     * @throws IOException if the server cannot start for another reason
     * @throws IllegalStateException if the exporter is closed
     */
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("the exporter is closed; build a new one");
        }
        if (server != null) {
            return;
        }
        HttpServer created;
        try {
            created = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (BindException e) {
            BindException clear =
                    new BindException(
                            "cannot listen on "
                                    + address.getHostAddress()
                                    + ":"
                                    + port
                                    + " ("
                                    + e.getMessage()
                                    + "); is the port in use?");
            clear.initCause(e);
            throw clear;
        }
        executor =
                Executors.newFixedThreadPool(
                        2,
                        task -> {
                            Thread thread = new Thread(task, "trainsight-exporter");
                            thread.setDaemon(true);
                            return thread;
                        });
        created.setExecutor(executor);
        created.createContext("/", new ExporterRoutes(monitor, registry, token, routes));
        created.start();
        server = created;
    }

    /**
     * Returns the port listened on (the one chosen by the system when built with port 0).
     *
     * @return the port
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the exporter is not started");
        }
        return server.getAddress().getPort();
    }

    /**
     * Returns the base address, such as {@code http://127.0.0.1:9400}.
     *
     * @return the URL without a path
     */
    public String url() {
        String host = address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Returns the registry {@code /metrics} serves.
     *
     * @return the registry
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Stops answering and releases the port; later calls do nothing. The monitor stays open, and so
     * does a registry given with {@link Builder#optRegistry}.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        if (ownRegistry != null) {
            try {
                ownRegistry.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the exporter's registry failed", e);
            }
        }
    }

    /** Configures a {@link GpuExporter}. */
    public static final class Builder {

        private static final Set<String> BUILT_IN = Set.of("/metrics", "/gpu-status", "/healthz");

        private GpuMonitor monitor;
        private PrometheusMeterRegistry registry;
        private int port = DEFAULT_PORT;
        private String bind = DEFAULT_BIND;
        private String token;
        private final Map<String, HttpRoute> routes = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the monitor to serve (required).
         *
         * @param monitor the monitor
         * @return this builder
         */
        public Builder setMonitor(GpuMonitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /**
         * Sets the registry {@code /metrics} serves, for an application that binds its own meters
         * to it; without it the exporter makes one with the monitor's meters ({@code GpuMetrics})
         * and Micrometer's JVM and process binders ({@code JvmMemoryMetrics}, {@code
         * ProcessorMetrics} ...).
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder optRegistry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Sets the port (default 9400; 0 for any free one).
         *
         * @param port from 0 to 65535
         * @return this builder
         */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets the address to listen on (default 127.0.0.1); any other than loopback needs a token.
         *
         * @param bind an IP address or host name
         * @return this builder
         */
        public Builder optBindAddress(String bind) {
            this.bind = bind;
            return this;
        }

        /**
         * Sets the token every request must carry.
         *
         * @param token 16 to 256 visible ASCII characters
         * @return this builder
         */
        public Builder optToken(String token) {
            this.token = token;
            return this;
        }

        /**
         * Adds a path the exporter answers besides its own, under the same rules: the token, GET
         * and HEAD only. The path matches exactly ({@code /} is the root page only).
         *
         * @param path the path, starting with {@code /}; not one of the built-in ones
         * @param route what answers it
         * @return this builder
         */
        public Builder addRoute(String path, HttpRoute route) {
            if (path == null || !path.startsWith("/") || path.contains("?")) {
                throw new IllegalArgumentException(
                        "route path must start with / and hold no query, got " + path);
            }
            if (BUILT_IN.contains(path) || routes.containsKey(path)) {
                throw new IllegalArgumentException("route path " + path + " is already served");
            }
            if (route == null) {
                throw new IllegalArgumentException("route for " + path + " is null");
            }
            routes.put(path, route);
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the exporter, not started
         * @throws IllegalArgumentException naming the setting that is wrong
         * @throws IllegalStateException if micrometer-registry-prometheus is not on the class path
         */
        public GpuExporter build() {
            PrometheusCheck.require();
            if (monitor == null) {
                throw new IllegalArgumentException("monitor is required: call setMonitor");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(
                        "bind address '" + bind + "' is not an IP address or a known host name");
            }
            AccessToken checked = null;
            if (token != null) {
                String problem = AccessToken.problemWith(token);
                if (problem != null) {
                    throw new IllegalArgumentException("token: " + problem);
                }
                checked = AccessToken.of(token);
            } else if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        "bind address "
                                + bind
                                + " is not loopback: serving beyond this machine needs a token"
                                + " (16 or more visible characters)");
            }
            return new GpuExporter(this, address, checked);
        }
    }
}
