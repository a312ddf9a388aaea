package io.trainsight.gpu;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way the command line spells them: {@code 10ms}, {@code 2s}. */
public final class Durations {

    private static final Pattern SPELLING =
            Pattern.compile(
                    "(\\d{1,9})(?:\\.(\\d{1,3}))?\\s*(ns|us|µs|ms|s|m|h)",
                    Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses a duration such as {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or {@code 1h}
     * (also {@code us} and {@code ns}), so that a duration out of a command's range is named as
     * such rather than as no duration at all.
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException if the text is not a number followed by a unit
     */
    public static Duration parse(String text) {
        Matcher matcher = SPELLING.matcher(text == null ? "" : text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write a number and a unit: 500ms, 2s, 1m");
        }
        long whole = Long.parseLong(matcher.group(1));
        String fraction = matcher.group(2) == null ? "" : matcher.group(2);
        long thousandths =
                fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00").substring(0, 3));
        String unit = matcher.group(3).toLowerCase(Locale.ROOT);
        if (!fraction.isEmpty() && unit.endsWith("s") && !unit.equals("s")) {
            throw new IllegalArgumentException(
                    "'" + text + "': " + unit + " must be whole, such as 500ms");
        }
        return switch (unit) {
            case "ns" -> Duration.ofNanos(whole);
            case "us", "µs" -> Duration.ofNanos(whole * 1000);
            case "ms" -> Duration.ofMillis(whole);
            case "s" -> Duration.ofMillis(whole * 1000 + thousandths);
            case "m" -> Duration.ofMillis(whole * 60_000 + thousandths * 60);
            default -> Duration.ofMillis(whole * 3_600_000 + thousandths * 3600);
        };
    }

    /**
     * Writes a duration the way {@link #parse} reads it, in the largest unit that keeps it whole.
     *
     * @param duration the duration
     * @return such as {@code 500ms} or {@code 2s}; sub-millisecond durations in ns
     */
    public static String format(Duration duration) {
        if (duration == null) {
            return "null";
        }
        long nanos = duration.toNanos();
        if (nanos % 1_000_000 != 0) {
            return nanos + "ns";
        }
        long millis = nanos / 1_000_000;
        return millis % 1000 == 0 && millis != 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
