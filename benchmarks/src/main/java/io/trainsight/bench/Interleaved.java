package io.trainsight.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs contenders in alternating blocks inside one process and reports each one's throughput as a
 * ratio to the baseline measured in the same round, so machine noise that lasts longer than a round
 * cancels out. The first contender added is the baseline; the order of the others rotates every
 * round.
 *
 * <pre>{@code
 * Interleaved.Report report = new Interleaved(rounds)
 *         .add("no prefetch", () -> runBatches(0))
 *         .add("4 workers", () -> runBatches(4))
 *         .run(System.out);
 * }</pre>
 */
public final class Interleaved {

    /** One measured block: how much work it did per second (batches/s, steps/s, ...). */
    @FunctionalInterface
    public interface Block {
        /**
         * Runs the block once.
         *
         * @return the throughput of the block, in the unit of the benchmark
         * @throws Exception if the block fails; the benchmark stops
         */
        double run() throws Exception;
    }

    private final int rounds;
    private int warmUpRounds;
    private final Map<String, Block> contenders = new LinkedHashMap<>();

    /**
     * Creates a benchmark of the given number of rounds.
     *
     * @param rounds how many times every contender runs
     */
    public Interleaved(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        this.rounds = rounds;
    }

    /**
     * Runs every contender this many times before the measured rounds, printing their results but
     * counting none: the JIT compiles the JVM's code paths over the first thousands of steps, and a
     * run that long is not what the steady-state figures are about.
     *
     * @param warmUps rounds not counted, 0 or more
     * @return this benchmark
     */
    public Interleaved warmUpRounds(int warmUps) {
        if (warmUps < 0) {
            throw new IllegalArgumentException("warm-up rounds must be 0 or more, got " + warmUps);
        }
        this.warmUpRounds = warmUps;
        return this;
    }

    /**
     * Adds a contender; the first one added is the baseline.
     *
     * @param name the name printed in the table
     * @param block the measured block
     * @return this benchmark
     */
    public Interleaved add(String name, Block block) {
        contenders.put(name, block);
        return this;
    }

    /**
     * Runs every round and prints a table of medians.
     *
     * @param out where the progress and the table go
     * @return the medians, by contender
     * @throws Exception if a block fails
     */
    public Report run(PrintStream out) throws Exception {
        List<String> names = new ArrayList<>(contenders.keySet());
        String baseline = names.get(0);
        Map<String, double[]> throughput = new LinkedHashMap<>();
        Map<String, double[]> ratios = new LinkedHashMap<>();
        for (String name : names) {
            throughput.put(name, new double[rounds]);
            ratios.put(name, new double[rounds]);
        }
        for (int warmUp = 0; warmUp < warmUpRounds; warmUp++) {
            out.printf(Locale.ROOT, "warm-up round %d/%d (not counted):", warmUp + 1, warmUpRounds);
            for (String name : names) {
                out.printf(Locale.ROOT, "  %s %.1f", name, contenders.get(name).run());
            }
            out.println();
        }
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(names);
            java.util.Collections.rotate(order, round);
            Map<String, Double> measured = new LinkedHashMap<>();
            for (String name : order) {
                measured.put(name, contenders.get(name).run());
            }
            for (String name : names) {
                throughput.get(name)[round] = measured.get(name);
                ratios.get(name)[round] = measured.get(name) / measured.get(baseline);
            }
            out.printf(Locale.ROOT, "round %d/%d:", round + 1, rounds);
            for (String name : names) {
                out.printf(Locale.ROOT, "  %s %.1f", name, measured.get(name));
            }
            out.println();
        }
        Report report =
                new Report(baseline, new LinkedHashMap<>(), new LinkedHashMap<>(), throughput);
        out.printf(
                Locale.ROOT,
                "%-32s %12s %12s %18s%n",
                "contender",
                "median",
                "ratio",
                "ratio min..max");
        for (String name : names) {
            double[] r = ratios.get(name);
            double median = median(throughput.get(name));
            double ratio = median(r);
            report.medians().put(name, median);
            report.ratios().put(name, ratio);
            out.printf(
                    Locale.ROOT,
                    "%-32s %12.2f %12.3f %8.3f..%.3f%n",
                    name,
                    median,
                    ratio,
                    Arrays.stream(r).min().orElse(Double.NaN),
                    Arrays.stream(r).max().orElse(Double.NaN));
        }
        return report;
    }

    /**
     * Returns the median of the values.
     *
     * @param values the values, not changed
     * @return the median; the mean of the middle two for an even count
     */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The outcome of a benchmark.
     *
     * @param baseline the name of the baseline contender
     * @param medians each contender's median throughput
     * @param ratios each contender's median ratio to the baseline, taken round by round
     * @param rounds each contender's throughput in every round
     */
    public record Report(
            String baseline,
            Map<String, Double> medians,
            Map<String, Double> ratios,
            Map<String, double[]> rounds) {

        /**
         * Returns the per-round ratios of one contender to another: each round's throughput of the
         * first divided by the second's in the same round.
         *
         * @param numerator the contender on top
         * @param denominator the contender below
         * @return one ratio per round
         */
        public double[] ratios(String numerator, String denominator) {
            double[] top = rounds.get(numerator);
            double[] bottom = rounds.get(denominator);
            double[] ratios = new double[top.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = top[i] / bottom[i];
            }
            return ratios;
        }

        /**
         * Prints one contender's ratio to every other: the median over rounds and the range.
         *
         * @param out where to print
         * @param numerator the contender
         */
        public void printRatios(PrintStream out, String numerator) {
            for (String other : rounds.keySet()) {
                if (other.equals(numerator)) {
                    continue;
                }
                double[] r = ratios(numerator, other);
                out.printf(
                        Locale.ROOT,
                        "%s / %s: %.3f (median of %d rounds), %.3f..%.3f%n",
                        numerator,
                        other,
                        median(r),
                        r.length,
                        Arrays.stream(r).min().orElse(Double.NaN),
                        Arrays.stream(r).max().orElse(Double.NaN));
            }
        }
    }
}
