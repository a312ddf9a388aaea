package io.trainsight.gpu.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token the exporter requires: 16 to 256 visible ASCII characters (no spaces or control
 * characters), compared in constant time.
 */
public final class AccessToken {

    /** The shortest token accepted. */
    public static final int MIN_LENGTH = 16;

    /** The longest token accepted. */
    public static final int MAX_LENGTH = 256;

    /** The environment variable the command line reads a token from. */
    public static final String ENV = "TRAINSIGHT_TOKEN";

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
