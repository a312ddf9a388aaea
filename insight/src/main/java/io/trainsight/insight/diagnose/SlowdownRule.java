package io.trainsight.insight.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slowdown: the compute time of a step (its time less its data wait) trends up over the run: the
 * median of the latest window is at least 1.5 times that of the run's first window, and a line
 * through the medians of blocks of steps rises with R² 0.3 or more. Judged once the run has at
 * least {@code slowdown-min-steps} steps (500), so a noisy stretch of a short run is not a trend.
 * Names the likely cause from what changed since the start: GC time, CPU contention, throttling,
 * live NDArrays, memory.
 */
final class SlowdownRule implements Rule {

    /** The device of the findings about the steps as a whole. */
    static final String STEPS = "steps";

    private final SignalThresholds limits;

    SlowdownRule(DiagnosisThresholds thresholds) {
        this.limits = thresholds.signals();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.SLOWDOWN;
    }

    @Override
    public boolean perDevice() {
        return false;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        SignalStats.Context c = stats.signals().context;
        if (c == null
                || c.runSteps() < limits.slowdownMinSteps()
                || c.baselineComputeNanos() <= 0
                || c.recentComputeNanos() <= 0
                || !(c.computeSlope() > 0)) {
            return 0;
        }
        double ratio = (double) c.recentComputeNanos() / c.baselineComputeNanos();
        return Math.min(ratio / limits.slowdownFactor(), c.computeR2() / limits.slowdownMinR2());
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        SignalStats s = stats.signals();
        SignalStats.Context c = s.context;
        SignalStats recent = c.recent() != null ? c.recent() : s;
        double start = c.baselineComputeNanos() / 1e6;
        double now = c.recentComputeNanos() / 1e6;
        List<String> causes = causes(c.baseline(), recent, now - start);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("compute_ms_at_start", Units.round(start, 3));
        evidence.put("compute_ms_now", Units.round(now, 3));
        evidence.put("slowdown", Units.round(now / start, 3));
        evidence.put("slope_ms_per_1000_steps", Units.round(c.computeSlope() / 1e6 * 1000, 3));
        evidence.put("trend_r2", Units.round(c.computeR2(), 3));
        evidence.put("steps", c.runSteps());
        evidence.put("likely_cause", causes.isEmpty() ? "none of the signals" : causes.get(0));
        evidence.put("causes", causes);
        evidence.put("threshold_factor", limits.slowdownFactor());
        evidence.put("threshold_r2", limits.slowdownMinR2());
        evidence.put("threshold_min_steps", limits.slowdownMinSteps());
        long first = c.baseline() == null ? s.firstStep : c.baseline().firstStep;
        return new Finding(
                kind(),
                Severity.WARNING,
                scope,
                STEPS,
                first,
                s.lastStep,
                "slowdown",
                Units.format(
                        "compute time per step rose from %.2f ms at the start to %.2f ms now"
                                + " (%.1fx; trend %+.3f ms per 1000 steps, R² %.2f over %d steps);"
                                + " likely cause: %s",
                        start,
                        now,
                        now / start,
                        c.computeSlope() / 1e6 * 1000,
                        c.computeR2(),
                        c.runSteps(),
                        causes.isEmpty()
                                ? "none of GC, contention, throttling, live arrays or memory"
                                        + " changed"
                                : causes.get(0)),
                evidence,
                causes.isEmpty()
                        ? "Look for work that grows with the run: lists or metrics kept per step,"
                                + " a growing graph or history, a schedule that changes the work"
                        : "Treat the cause: see its own finding (gc, contention, throttled,"
                                + " ndarray-leak, oom-risk) and its advice");
    }

    /** What changed between the first window and the latest, most likely cause first. */
    private static List<String> causes(SignalStats base, SignalStats recent, double slowerMs) {
        List<String> causes = new ArrayList<>();
        if (base == null) {
            return causes;
        }
        double gcBefore = base.gcMsPerStep();
        double gcNow = recent.gcMsPerStep();
        if (gcNow - gcBefore > 0 && gcNow - gcBefore >= 0.3 * slowerMs) {
            causes.add(
                    Units.format("GC: pauses went from %.2f to %.2f ms per step", gcBefore, gcNow));
        }
        double contendedNow = recent.contendedShare();
        double contendedBefore = base.contendedShare();
        if (contendedNow >= 0.3 && contendedNow - contendedBefore >= 0.2) {
            causes.add(
                    Units.format(
                            "contention: other processes took %.0f %% of the CPU, %s of the"
                                    + " latest steps contended (%s at the start)",
                            recent.othersCpu,
                            Units.percentOf(contendedNow),
                            Units.percentOf(contendedBefore)));
        }
        if (recent.throttledShare() >= 0.2 && base.throttledShare() < 0.05) {
            causes.add(
                    "throttling: "
                            + Units.percentOf(recent.throttledShare())
                            + " of the latest steps throttled");
        }
        double arraysBefore = base.arraysMid();
        double arraysNow = recent.arraysMid();
        if (arraysNow >= 1.2 * arraysBefore && arraysNow - arraysBefore >= 10) {
            causes.add(
                    Units.format(
                            "live NDArrays: from %.0f to %.0f (see ndarray-leak)",
                            arraysBefore, arraysNow));
        }
        if (recent.memoryMean >= 1.2 * base.memoryMean) {
            causes.add(
                    "memory: from "
                            + Units.bytes(Math.round(base.memoryMean))
                            + " to "
                            + Units.bytes(Math.round(recent.memoryMean)));
        }
        return causes;
    }
}
