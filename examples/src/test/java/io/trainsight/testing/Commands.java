package io.trainsight.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external commands the checks use (promtool, kubectl, the image's scripts, the packaged
 * jar in a child JVM).
 */
public final class Commands {

    /**
     * What a command did.
     *
     * @param exitCode its exit code
     * @param out its standard output
     * @param err its standard error
     */
    public record Result(int exitCode, String out, String err) {

        /** Both outputs, for assertion messages. */
        public String output() {
            return out + err;
        }
    }

    private Commands() {}

    /**
     * Finds a tool the calling test needs, or skips the test saying why: the path an environment
     * variable named like the tool in upper case gives ({@code PROMTOOL}), else the PATH.
     *
     * @param name the tool's name
     * @param skipReason why it matters, printed with the skip
     * @return the tool's path
     */
    public static Path require(String name, String skipReason) {
        String named = System.getenv(name.toUpperCase(java.util.Locale.ROOT));
        Optional<Path> found =
                named != null && Files.isExecutable(Path.of(named))
                        ? Optional.of(Path.of(named))
                        : onPath(name);
        String reason = name + " is not on the PATH: " + skipReason;
        if (found.isEmpty()) {
            System.out.println(reason);
        }
        assumeTrue(found.isPresent(), reason);
        return found.get();
    }

    /** Finds an executable on the PATH. */
    public static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command to its end.
     *
     * @param command the command and its arguments
     * @param env the environment, or null to inherit this one
     * @param timeout the longest it may take
     * @return what it did
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (env != null) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(
                    "did not finish within " + timeout + ": " + command + "\n" + err.join());
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> read(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "(unreadable: " + e + ")";
                    }
                });
    }
}
