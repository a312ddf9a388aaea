package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GC: the JVM's garbage-collection pauses take a share of step time (10 %) over at least {@value
 * #MIN_PAUSES} pauses, or stall steps (a step three times the rolling median, at least half of the
 * excess a pause) in a share of the steps (5 %). One pause, however long against short steps, is
 * not pressure: the stall finding reports it. The pauses are the collectors' own records, joined to
 * the steps they fell in.
 */
final class GcRule implements Rule {

    /** The device of the findings about the JVM. */
    static final String JVM = "jvm";

    /** The pauses the share of step time must be spread over to count as pressure. */
    static final int MIN_PAUSES = 3;

    private final SignalThresholds limits;

    GcRule(DiagnosisThresholds thresholds) {
        this.limits = thresholds.signals();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.GC;
    }

    @Override
    public boolean perDevice() {
        return false;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        SignalStats s = stats.signals();
        if (s.gcSteps == 0) {
            return 0;
        }
        double byShare = s.gcPauses < MIN_PAUSES ? 0 : s.gcShare() / limits.gcShare();
        double byStalls = (double) s.gcStalledSteps / s.gcSteps / limits.gcStallShare();
        return Math.max(byShare, byStalls);
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        SignalStats s = stats.signals();
        double share = s.gcShare();
        boolean byShare = s.gcPauses >= MIN_PAUSES && share >= limits.gcShare();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("gc_pause_share", Units.round(share, 4));
        evidence.put("gc_pause_ms_per_step", Units.round(s.gcMsPerStep(), 3));
        evidence.put("step_ms", Units.round(s.durationNanos / 1e6 / s.steps, 3));
        evidence.put("gc_pauses", s.gcPauses);
        evidence.put("gc_pause_ms", Units.round(s.gcPauseNanos / 1e6, 1));
        evidence.put("longest_pause_ms", Units.round(s.gcLongestNanos / 1e6, 1));
        evidence.put("longest_pause_step", s.gcLongestStep);
        evidence.put("collectors", s.collectors);
        evidence.put("gc_stalled_steps", s.gcStalledSteps);
        evidence.put("steps", s.steps);
        evidence.put("threshold_share", limits.gcShare());
        evidence.put("threshold_stall_factor", limits.gcStallFactor());
        evidence.put("threshold_stall_share", limits.gcStallShare());
        long[] span =
                byShare || s.gcStalledRange == null
                        ? new long[] {s.firstStep, s.lastStep}
                        : new long[] {s.gcStalledRange.first(), s.gcStalledRange.last()};
        String summary =
                Units.format(
                                "garbage collection paused the JVM %s of step time (%d pauses, %.1f"
                                        + " ms in all, the longest %.1f ms at step %d, %s)",
                                Units.percentOf(share),
                                s.gcPauses,
                                s.gcPauseNanos / 1e6,
                                s.gcLongestNanos / 1e6,
                                s.gcLongestStep,
                                s.gcLongestCollector)
                        + (s.gcStalledSteps > 0
                                ? Units.format(
                                        "; %d step(s) stalled %.0fx the median or more by a pause",
                                        s.gcStalledSteps, limits.gcStallFactor())
                                : "");
        return new Finding(
                kind(),
                byShare ? Severity.WARNING : Severity.INFO,
                scope,
                JVM,
                span[0],
                span[1],
                byShare ? "GC pressure" : "GC pauses stall steps",
                summary,
                evidence,
                "Give the JVM more heap (-Xmx; the run's heap_max_bytes is in summary.json),"
                        + " allocate less per step (reuse buffers and arrays, avoid boxing and"
                        + " temporary collections, read NDArrays in bulk), or pick a collector for"
                        + " the pauses: -XX:+UseZGC for short pauses, -XX:+UseParallelGC for"
                        + " throughput, G1 with -XX:MaxGCPauseMillis");
    }
}
