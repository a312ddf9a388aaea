package io.trainsight.insight.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.insight.diagnose.Units;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * What changed from one run to another, read from their {@code summary.json}: step time, data-wait
 * share, utilisation, memory peak, energy per sample and samples per second, with the relative
 * change (percentage points for the share), and which changes are regressions: worse by more than
 * the threshold (relative; for the data-wait share, the threshold times 100 in points), or a
 * warning or critical finding that the first run did not have.
 */
public final class RunComparison {

    private final String nameA;
    private final String nameB;
    private final double threshold;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> newFindings = new ArrayList<>();
    private final List<String> goneFindings = new ArrayList<>();

    /**
     * One compared figure.
     *
     * @param metric what it is
     * @param a the first run's value, or NaN
     * @param b the second run's value, or NaN
     * @param format writes a value
     * @param higherIsBetter whether a rise is an improvement
     * @param points whether the change is in percentage points (a share) rather than relative
     */
    record Row(
            String metric,
            double a,
            double b,
            DoubleFunction<String> format,
            boolean higherIsBetter,
            boolean points) {

        double change() {
            if (Double.isNaN(a) || Double.isNaN(b)) {
                return Double.NaN;
            }
            if (points) {
                return (b - a) * 100;
            }
            return a == 0 ? Double.NaN : (b - a) / a;
        }

        boolean worse(double threshold) {
            double change = change();
            if (Double.isNaN(change)) {
                return false;
            }
            double limit = points ? threshold * 100 : threshold;
            return higherIsBetter ? change <= -limit : change >= limit;
        }

        boolean better(double threshold) {
            double change = change();
            double limit = points ? threshold * 100 : threshold;
            return !Double.isNaN(change) && (higherIsBetter ? change >= limit : change <= -limit);
        }
    }

    /**
     * Compares two summaries.
     *
     * @param nameA how the first run is named in the output
     * @param a the first run's summary
     * @param nameB how the second run is named
     * @param b the second run's summary
     * @param threshold the relative change that counts, such as 0.1 for 10 %
     */
    public RunComparison(String nameA, JsonNode a, String nameB, JsonNode b, double threshold) {
        this.nameA = nameA;
        this.nameB = nameB;
        this.threshold = threshold;
        rows.add(
                new Row(
                        "mean step",
                        real(a.path("totals"), "mean_step_ms"),
                        real(b.path("totals"), "mean_step_ms"),
                        v -> Units.format("%.2f ms", v),
                        false,
                        false));
        rows.add(
                new Row(
                        "data-wait share",
                        real(a.path("time_split"), "data_wait_share"),
                        real(b.path("time_split"), "data_wait_share"),
                        Units::percentOf,
                        false,
                        true));
        rows.add(
                new Row(
                        "utilisation (" + firstDevice(a) + ")",
                        real(a.path("devices").path(0), "util_mean_percent"),
                        real(b.path("devices").path(0), "util_mean_percent"),
                        Units::percent,
                        true,
                        false));
        rows.add(
                new Row(
                        "memory peak",
                        memoryPeak(a),
                        memoryPeak(b),
                        v -> Units.bytes((long) v),
                        false,
                        false));
        rows.add(
                new Row(
                        "energy per sample",
                        energyPerSample(a),
                        energyPerSample(b),
                        v -> Units.format("%.4f J", v),
                        false,
                        false));
        rows.add(
                new Row(
                        "samples per second",
                        real(a.path("totals"), "samples_per_s"),
                        real(b.path("totals"), "samples_per_s"),
                        v -> Units.format("%.1f", v),
                        true,
                        false));
        Set<String> before = findings(a, false);
        Set<String> after = findings(b, false);
        for (String finding : findings(b, true)) {
            if (!before.contains(finding)) {
                newFindings.add(finding);
            }
        }
        for (String finding : before) {
            if (!after.contains(finding)) {
                goneFindings.add(finding);
            }
        }
    }

    private static String firstDevice(JsonNode summary) {
        return summary.path("devices").path(0).path("device").asText("-");
    }

    private static double real(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }

    private static double memoryPeak(JsonNode summary) {
        double peak = Double.NaN;
        for (JsonNode device : summary.path("devices")) {
            double value = real(device, "memory_peak_bytes");
            peak = Double.isNaN(peak) ? value : Math.max(peak, Double.isNaN(value) ? peak : value);
        }
        return peak;
    }

    private static double energyPerSample(JsonNode summary) {
        double total = Double.NaN;
        for (JsonNode device : summary.path("devices")) {
            double value = real(device, "energy_per_sample_j");
            if (!Double.isNaN(value)) {
                total = Double.isNaN(total) ? value : total + value;
            }
        }
        return total;
    }

    /** The findings as "title on device"; only warnings and worse when {@code serious}. */
    private static Set<String> findings(JsonNode summary, boolean serious) {
        Set<String> set = new LinkedHashSet<>();
        for (JsonNode finding : summary.path("findings")) {
            String severity = finding.path("severity").asText();
            if (!serious || !severity.equals("info")) {
                set.add(finding.path("kind").asText() + " on " + finding.path("device").asText());
            }
        }
        return set;
    }

    /**
     * Returns the regressions, one phrase each.
     *
     * @return the regressions; empty when none
     */
    public List<String> regressions() {
        List<String> list = new ArrayList<>();
        for (Row row : rows) {
            if (row.worse(threshold)) {
                list.add(row.metric() + " " + change(row));
            }
        }
        for (String finding : newFindings) {
            list.add("new finding: " + finding);
        }
        return list;
    }

    /**
     * Prints the comparison.
     *
     * @param out where to print
     */
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "Comparing A = %s with B = %s%n", nameA, nameB);
        String row = "  %-26s %14s %14s %12s  %s%n";
        out.printf(Locale.ROOT, row, "", "A", "B", "change", "");
        for (Row r : rows) {
            String verdict =
                    r.worse(threshold) ? "REGRESSION" : r.better(threshold) ? "better" : "";
            out.printf(
                    Locale.ROOT,
                    row,
                    r.metric(),
                    Double.isNaN(r.a()) ? "-" : r.format().apply(r.a()),
                    Double.isNaN(r.b()) ? "-" : r.format().apply(r.b()),
                    change(r),
                    verdict);
        }
        out.println(
                "  findings new in B: "
                        + (newFindings.isEmpty() ? "none" : String.join(", ", newFindings)));
        out.println(
                "  findings gone in B: "
                        + (goneFindings.isEmpty() ? "none" : String.join(", ", goneFindings)));
        List<String> regressions = regressions();
        out.printf(
                Locale.ROOT,
                "Regressions (worse by %.0f %% or more%s): %s%n",
                threshold * 100,
                ", or new warnings",
                regressions.isEmpty() ? "none" : String.join("; ", regressions));
        out.flush();
    }

    private static String change(Row row) {
        double change = row.change();
        if (Double.isNaN(change)) {
            return "-";
        }
        return row.points()
                ? Units.format("%+.1f pt", change)
                : Units.format("%+.1f %%", change * 100);
    }
}
