package io.trainsight.insight.diagnose;

import java.util.Locale;

/** How the insight writes numbers for people: bytes in MiB/GiB, shares in percent. */
public final class Units {

    private static final double MIB = 1024.0 * 1024;
    private static final double GIB = MIB * 1024;

    private Units() {}

    /**
     * Writes a byte count.
     *
     * @param bytes the count, or a negative number for unknown
     * @return such as {@code 812 MiB} or {@code 7.41 GiB}, or {@code -}
     */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes >= GIB) {
            return format("%.2f GiB", bytes / GIB);
        }
        return format("%.0f MiB", bytes / MIB);
    }

    /**
     * Writes a share as a percentage.
     *
     * @param share from 0 to 1, or NaN
     * @return such as {@code 62.1 %}, or {@code -}
     */
    public static String percentOf(double share) {
        return Double.isNaN(share) ? "-" : format("%.1f %%", share * 100);
    }

    /**
     * Writes a percentage.
     *
     * @param percent the percentage, or NaN
     * @return such as {@code 45 %}, or {@code -}
     */
    public static String percent(double percent) {
        return Double.isNaN(percent) ? "-" : format("%.1f %%", percent);
    }

    /**
     * Formats with the root locale.
     *
     * @param pattern a {@link String#format} pattern
     * @param args its arguments
     * @return the text
     */
    public static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /**
     * Rounds a number for JSON evidence.
     *
     * @param value the number
     * @param digits the decimals kept
     * @return the rounded number (NaN stays NaN)
     */
    public static double round(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
