package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thresholds of the findings about the JVM and the host: garbage collection, leaked NDArrays,
 * slowdown, CPU contention, the reason an input-bound run waits, and stalls. Part of {@link
 * DiagnosisThresholds} ({@link DiagnosisThresholds#signals()}), set by name like the others.
 *
 * @param gcShare share of step time spent in GC pauses that raises the gc finding
 * @param gcStallFactor a step this many times the rolling median, with a GC pause making up at
 *     least half the excess, is stalled by GC
 * @param gcStallShare share of steps stalled by GC that raises the gc finding
 * @param leakArraysPerStep growth of the live NDArrays, arrays per step, that raises the
 *     ndarray-leak finding
 * @param leakMinR2 how straight (R²) that growth must be
 * @param slowdownFactor compute time per step this many times the start's raises the slowdown
 *     finding
 * @param slowdownMinR2 how straight (R²) the upward trend of compute time must be
 * @param slowdownMinSteps steps the run needs before a slowdown is judged
 * @param contentionOthers CPU that other processes take, percent of all cores, from which a step
 *     waiting for cores counts as contended
 * @param contentionShare share of contended steps that raises the contention finding
 * @param cpuSaturated the machine's CPU busy (percent) from which the cores count as saturated
 *     while steps wait for data: the input pipeline is then CPU-bound
 * @param stallFactor a step this many times the rolling median is an outlier (a stall)
 * @param stallShare share of step time lost in stalls that raises the stall finding
 * @param stallMinLostMs the least time lost in stalls, milliseconds, for the stall finding
 */
public record SignalThresholds(
        double gcShare,
        double gcStallFactor,
        double gcStallShare,
        double leakArraysPerStep,
        double leakMinR2,
        double slowdownFactor,
        double slowdownMinR2,
        int slowdownMinSteps,
        double contentionOthers,
        double contentionShare,
        double cpuSaturated,
        double stallFactor,
        double stallShare,
        double stallMinLostMs) {

    /** The names, in order. */
    public static final List<String> NAMES =
            List.of(
                    "gc-share",
                    "gc-stall-factor",
                    "gc-stall-share",
                    "leak-arrays-per-step",
                    "leak-min-r2",
                    "slowdown-factor",
                    "slowdown-min-r2",
                    "slowdown-min-steps",
                    "contention-others",
                    "contention-share",
                    "cpu-saturated",
                    "stall-factor",
                    "stall-share",
                    "stall-min-lost-ms");

    /** The defaults, in {@link #NAMES} order. */
    static final double[] DEFAULTS = {
        0.10, 3, 0.05, 0.25, 0.8, 1.5, 0.3, 500, 30, 0.5, 90, 5, 0.05, 200
    };

    /** Checks the values, naming the first that is out of range. */
    public SignalThresholds {
        share("gc-share", gcShare);
        ratio("gc-stall-factor", gcStallFactor);
        share("gc-stall-share", gcStallShare);
        if (!(leakArraysPerStep > 0) || Double.isInfinite(leakArraysPerStep)) {
            throw new IllegalArgumentException(
                    "leak-arrays-per-step must be a finite number above 0, got "
                            + leakArraysPerStep);
        }
        share("leak-min-r2", leakMinR2);
        ratio("slowdown-factor", slowdownFactor);
        share("slowdown-min-r2", slowdownMinR2);
        if (slowdownMinSteps < 10) {
            throw new IllegalArgumentException(
                    "slowdown-min-steps must be a whole number of 10 or more, got "
                            + slowdownMinSteps);
        }
        percent("contention-others", contentionOthers);
        share("contention-share", contentionShare);
        percent("cpu-saturated", cpuSaturated);
        ratio("stall-factor", stallFactor);
        share("stall-share", stallShare);
        if (!(stallMinLostMs >= 0) || Double.isInfinite(stallMinLostMs)) {
            throw new IllegalArgumentException(
                    "stall-min-lost-ms must be a finite number of 0 or more, got "
                            + stallMinLostMs);
        }
    }

    private static void share(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    name + " must be a share above 0 and at most 1, got " + value);
        }
    }

    private static void percent(String name, double value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(
                    name + " must be a percentage above 0 and at most 100, got " + value);
        }
    }

    private static void ratio(String name, double value) {
        if (!(value > 1) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    name + " must be a finite ratio above 1, got " + value);
        }
    }

    /** Builds from values in {@link #NAMES} order. */
    static SignalThresholds of(double[] v) {
        double steps = v[7];
        if (steps != Math.rint(steps) || Math.abs(steps) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "slowdown-min-steps must be a whole number, got " + steps);
        }
        return new SignalThresholds(
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                (int) steps,
                v[8],
                v[9],
                v[10],
                v[11],
                v[12],
                v[13]);
    }

    /** Returns every value by name, in {@link #NAMES} order. */
    Map<String, Double> toMap() {
        double[] values = {
            gcShare,
            gcStallFactor,
            gcStallShare,
            leakArraysPerStep,
            leakMinR2,
            slowdownFactor,
            slowdownMinR2,
            slowdownMinSteps,
            contentionOthers,
            contentionShare,
            cpuSaturated,
            stallFactor,
            stallShare,
            stallMinLostMs
        };
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(NAMES.get(i), values[i]);
        }
        return map;
    }
}
