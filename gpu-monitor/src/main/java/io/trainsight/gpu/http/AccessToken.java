package io.trainsight.gpu.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token the exporter requires: 16 to 256 visible ASCII characters (no spaces or control
 * characters), compared in constant time.
 */
public final class AccessToken {

    private static final Logger logger = LoggerFactory.getLogger(AccessToken.class);

    /** The shortest token accepted. */
    public static final int MIN_LENGTH = 16;

    /** The longest token accepted. */
    public static final int MAX_LENGTH = 256;

    /** The environment variable the command line reads a token from. */
    public static final String ENV = "TRAINSIGHT_TOKEN";

    /**
     * The environment variable naming a file that holds the token, such as a mounted secret; read
     * when neither an explicit token nor {@link #ENV} is given.
     */
    public static final String FILE_ENV = "TRAINSIGHT_TOKEN_FILE";

    private final byte[] expected;

    private AccessToken(String token) {
        this.expected = token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Checks a token.
     *
     * @param token the token
     * @return the token, ready to check requests with
     * @throws IllegalArgumentException saying what is wrong with it, without repeating it
     */
    public static AccessToken of(String token) {
        String problem = problemWith(token);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new AccessToken(token);
    }

    /**
     * Finds the token a server was configured with: the explicit one (a command-line option), else
     * the {@value #ENV} variable, else the content of the file named by {@value #FILE_ENV}
     * (surrounding white space, such as a final newline, removed). The token is not checked here:
     * see {@link #problemWith}.
     *
     * @param explicit the token given explicitly, or null
     * @param explicitName how the explicit token is named in messages, such as {@code --token}
     * @param environment reads an environment variable, such as {@code System::getenv}
     * @return the token and where it came from, or empty when none is configured
     * @throws IllegalArgumentException when the token file cannot be read, naming it
     */
    public static Optional<Configured> configured(
            String explicit, String explicitName, UnaryOperator<String> environment) {
        if (explicit != null) {
            return Optional.of(new Configured(explicit, explicitName));
        }
        String fromEnv = environment.apply(ENV);
        if (fromEnv != null) {
            return Optional.of(new Configured(fromEnv, ENV));
        }
        String file = environment.apply(FILE_ENV);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        String source = FILE_ENV + " " + file;
        try {
            Path path = Path.of(file);
            String token = Files.readString(path, StandardCharsets.UTF_8).strip();
            String exposed = permissionProblem(path);
            if (exposed != null) {
                logger.warn("{}: {}", FILE_ENV, exposed);
            }
            return Optional.of(new Configured(token, source));
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException(
                    source
                            + ": cannot read the token file ("
                            + e.getClass().getSimpleName()
                            + "); name a readable file that holds the token");
        }
    }

    /**
     * Tells whether a token file is open to every user of the machine, as ssh does for a private
     * key: readable or writable by others. Readable by the group is allowed (a Kubernetes secret
     * mounted for a pod's {@code fsGroup} is {@code 0440}).
     *
     * @param file the token file
     * @return the problem and how to fix it, or null when the file is private enough (or the file
     *     system has no POSIX permissions)
     */
    public static String permissionProblem(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        if (!permissions.contains(PosixFilePermission.OTHERS_READ)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return null;
        }
        return file
                + " can be read by every user of this machine (mode "
                + PosixFilePermissions.toString(permissions)
                + "); restrict it: chmod o-rwx "
                + file;
    }

    /**
     * A token found by {@link #configured}.
     *
     * @param value the token
     * @param source where it came from, for messages: the option, the variable, or the variable and
     *     the file
     */
    public record Configured(String value, String source) {

        @Override
        public String toString() {
            return "Configured[value=hidden, source=" + source + "]";
        }
    }

    /**
     * Tells what is wrong with a token, in one sentence that does not repeat it.
     *
     * @param token the token
     * @return the problem, or null when the token is well-formed
     */
    public static String problemWith(String token) {
        if (token == null || token.isEmpty()) {
            return "the token is empty; use 16 to 256 visible ASCII characters";
        }
        if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
            return "the token has "
                    + token.length()
                    + " characters; use 16 to 256 visible ASCII characters";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "the token has a space, control or non-ASCII character at position "
                        + (i + 1)
                        + "; use 16 to 256 visible ASCII characters";
            }
        }
        return null;
    }

    /**
     * Checks a request's {@code Authorization} header.
     *
     * @param header the header's value, or null
     * @return whether it is {@code Bearer} and this token
     */
    boolean accepts(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
