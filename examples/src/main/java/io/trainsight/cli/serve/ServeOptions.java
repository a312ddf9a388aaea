package io.trainsight.cli.serve;

import io.trainsight.gpu.http.AccessToken;
import io.trainsight.gpu.http.GpuExporter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of an HTTP exporter on the command line ({@code gpus --serve} and {@code train
 * --serve}): port, address and token, with one set of rules: loopback by default; any other address
 * needs a token, from {@code --token}, else {@value AccessToken#ENV}, else the file named by
 * {@value AccessToken#FILE_ENV}.
 */
public final class ServeOptions {

    /** The option names, which go with {@code --serve} only. */
    public static final String[] NAMES = {"--port", "--bind", "--token"};

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "9400",
            description = "With --serve: the port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port = GpuExporter.DEFAULT_PORT;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description =
                    "With --serve: the address to listen on (default: ${DEFAULT-VALUE}); any"
                            + " address but loopback needs a token.")
    String bind = GpuExporter.DEFAULT_BIND;

    @Option(
            names = "--token",
            paramLabel = "T",
            description =
                    "With --serve: the bearer token every request must carry, 16 to 256 visible"
                            + " ASCII characters (default: the TRAINSIGHT_TOKEN variable, else the"
                            + " file named by TRAINSIGHT_TOKEN_FILE).")
    String token;

    /**
     * Checks the options and finds the token, before anything starts.
     *
     * @param usage turns a problem into the command's usage error
     * @return the checked settings
     * @throws ParameterException naming the option and what is valid
     */
    public ServeSettings check(Function<String, ParameterException> usage) {
        return check(usage, System::getenv);
    }

    ServeSettings check(Function<String, ParameterException> usage, UnaryOperator<String> env) {
        Optional<AccessToken.Configured> configured;
        try {
            configured = AccessToken.configured(token, "--token", env);
        } catch (IllegalArgumentException e) {
            throw usage.apply(e.getMessage());
        }
        if (configured.isPresent()) {
            String problem = AccessToken.problemWith(configured.get().value());
            if (problem != null) {
                throw usage.apply(configured.get().source() + ": " + problem);
            }
        }
        if (port < 0 || port > 65535) {
            throw usage.apply("--port must be from 0 to 65535, got " + port);
        }
        try {
            if (configured.isEmpty() && !InetAddress.getByName(bind).isLoopbackAddress()) {
                throw usage.apply(
                        "--bind "
                                + bind
                                + " is not a loopback address: serving beyond this machine needs a"
                                + " token (--token, "
                                + AccessToken.ENV
                                + " or "
                                + AccessToken.FILE_ENV
                                + ")");
            }
        } catch (UnknownHostException e) {
            throw usage.apply("--bind " + bind + " is not an IP address or a known host name");
        }
        return new ServeSettings(
                port, bind, configured.map(AccessToken.Configured::value).orElse(null));
    }

    /**
     * Names the option to blame for a failed bind: {@code --bind} when the address is not this
     * machine's, else {@code --port}.
     *
     * @param settings the settings the exporter was built with
     * @param e the exporter's one-line error
     * @return the message of the usage error
     */
    public static String bindFailure(ServeSettings settings, java.net.BindException e) {
        String message = String.valueOf(e.getMessage());
        return (message.contains("not an address of this machine")
                        ? "--bind " + settings.bind()
                        : "--port " + settings.port())
                + ": "
                + message;
    }

    /**
     * The checked settings of an exporter.
     *
     * @param port the port
     * @param bind the address
     * @param token the token, or null
     */
    public record ServeSettings(int port, String bind, String token) {

        /**
         * Applies the settings to an exporter's builder.
         *
         * @param builder the builder
         * @return the builder
         */
        public GpuExporter.Builder applyTo(GpuExporter.Builder builder) {
            return builder.optPort(port).optBindAddress(bind).optToken(token);
        }

        @Override
        public String toString() {
            return "ServeSettings[port="
                    + port
                    + ", bind="
                    + bind
                    + ", token="
                    + (token == null ? "none" : "hidden")
                    + "]";
        }
    }
}
