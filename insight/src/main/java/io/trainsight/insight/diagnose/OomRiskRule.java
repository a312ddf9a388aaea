package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OOM risk: the memory peak reached the peak share of capacity (90 %), or the memory trend over the
 * steps (a least-squares line, straight enough) reaches the capacity before the run's remaining
 * steps are done.
 */
final class OomRiskRule implements Rule {

    private final DiagnosisThresholds thresholds;

    OomRiskRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.OOM_RISK;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        double peak = stats.memoryPeakShare();
        if (Double.isNaN(peak)) {
            return 0;
        }
        return Math.max(peak / thresholds.oomPeakShare(), projectedShare(stats, remainingSteps));
    }

    /** Where the trend puts memory at the end of the run, as a share of capacity; 0 if no trend. */
    private double projectedShare(StatsSnapshot stats, long remainingSteps) {
        if (!trusted(stats) || remainingSteps <= 0) {
            return 0;
        }
        double projected = stats.memoryLast() + stats.memorySlope() * remainingSteps;
        return projected / stats.memoryCapacity();
    }

    private boolean trusted(StatsSnapshot stats) {
        return stats.steps() >= thresholds.trendMinSteps()
                && stats.memorySlope() > 0
                && stats.memoryR2() >= thresholds.trendMinR2();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        double peakShare = stats.memoryPeakShare();
        boolean byPeak = peakShare >= thresholds.oomPeakShare();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("memory_peak_bytes", stats.memoryPeak());
        evidence.put("memory_peak_step", stats.memoryPeakStep());
        evidence.put("memory_capacity_bytes", stats.memoryCapacity());
        evidence.put("peak_share", Units.round(peakShare, 4));
        evidence.put("threshold_peak_share", thresholds.oomPeakShare());
        String summary =
                Units.format(
                        "memory peaked at %s of capacity (%s of %s) at step %d",
                        Units.percentOf(peakShare),
                        Units.bytes(stats.memoryPeak()),
                        Units.bytes(stats.memoryCapacity()),
                        stats.memoryPeakStep());
        if (!byPeak && trusted(stats)) {
            double slope = stats.memorySlope();
            long toCapacity =
                    (long) Math.ceil((stats.memoryCapacity() - stats.memoryLast()) / slope);
            evidence.put("slope_bytes_per_step", Math.round(slope));
            evidence.put("trend_r2", Units.round(stats.memoryR2(), 3));
            evidence.put("steps_to_capacity", toCapacity);
            evidence.put("remaining_steps", remainingSteps);
            evidence.put(
                    "projected_bytes", Math.round(stats.memoryLast() + slope * remainingSteps));
            summary =
                    Units.format(
                            "memory grows %s per step (R² %.2f over %d steps), now %s of %s: at"
                                    + " this rate it reaches capacity in %d steps, before the"
                                    + " run's remaining %d",
                            Units.bytes(Math.round(slope)),
                            stats.memoryR2(),
                            stats.steps(),
                            Units.bytes(stats.memoryLast()),
                            Units.bytes(stats.memoryCapacity()),
                            toCapacity,
                            remainingSteps);
        }
        long[] span = byPeak ? Rule.span(stats, stats.highMemorySteps()) : Rule.span(stats, null);
        return new Finding(
                kind(),
                Severity.CRITICAL,
                scope,
                stats.device(),
                span[0],
                span[1],
                byPeak ? "OOM risk: memory near capacity" : "OOM risk: memory growing",
                summary,
                evidence,
                "Use mixed precision ({amp}), gradient accumulation with smaller micro-batches"
                        + " ({accumulate}) or a smaller batch; memory that grows step over step"
                        + " means tensors kept across steps (losses or outputs stored with their"
                        + " graph)");
    }
}
