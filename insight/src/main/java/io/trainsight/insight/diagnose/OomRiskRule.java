package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OOM risk: the memory peak reached the peak share of capacity (90 %), or the memory trend over the
 * steps (a least-squares line, straight enough, and growing by at least {@value #MIN_SLOPE_BYTES}
 * bytes, a MiB, per step) reaches the capacity before the run's remaining steps are done, looking
 * at most {@link DiagnosisThresholds#trendHorizonSteps()} ahead: a trend seen over a window of
 * steps says nothing about a billion steps later. On a GPU the memory is the run's own (its PID's)
 * against the usable memory (total less reserved); where the PID is not among the GPU's processes
 * (a container shows host PIDs) it is the device-wide used memory, which counts every process, and
 * the finding says so.
 */
final class OomRiskRule implements Rule {

    /** The least growth per step a trend must show to be projected: a MiB. */
    static final long MIN_SLOPE_BYTES = 1L << 20;

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
        double projected = stats.memoryLast() + stats.memorySlope() * horizon(remainingSteps);
        return projected / stats.memoryCapacity();
    }

    private long horizon(long remainingSteps) {
        return Math.min(remainingSteps, thresholds.trendHorizonSteps());
    }

    private boolean trusted(StatsSnapshot stats) {
        return stats.steps() >= thresholds.trendMinSteps()
                && stats.memorySlope() >= MIN_SLOPE_BYTES
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
        String basis = stats.host() ? "process" : stats.memoryBasis();
        evidence.put("memory_basis", basis);
        String whose = "memory";
        if (!stats.host()) {
            whose = basis.equals("process") ? "the run's own GPU memory" : "device memory";
            if (!basis.equals("process")) {
                evidence.put(
                        "memory_basis_note",
                        "the run's PID was not among the GPU's compute processes on "
                                + stats.deviceMemorySteps()
                                + " step(s) (inside a container NVML lists host PIDs): judged on"
                                + " the GPU's device-wide used memory, which counts every"
                                + " process");
                whose = "device memory (every process on the GPU)";
            }
            if (stats.otherMemoryPeak() >= 0) {
                evidence.put("other_processes_memory_peak_bytes", stats.otherMemoryPeak());
            }
        }
        String summary =
                Units.format(
                        whose + " peaked at %s of capacity (%s of %s) at step %d",
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
            long horizon = horizon(remainingSteps);
            evidence.put("remaining_steps", remainingSteps);
            evidence.put("horizon_steps", horizon);
            evidence.put("projected_bytes", Math.round(stats.memoryLast() + slope * horizon));
            summary =
                    Units.format(
                            whose
                                    + " grows %s per step (R² %.2f over %d steps), now %s of %s: at"
                                    + " this rate it reaches capacity in %d steps, %s %d",
                            Units.bytes(Math.round(slope)),
                            stats.memoryR2(),
                            stats.steps(),
                            Units.bytes(stats.memoryLast()),
                            Units.bytes(stats.memoryCapacity()),
                            toCapacity,
                            horizon < remainingSteps
                                    ? "within the steps it looks ahead,"
                                    : "before the run's remaining",
                            horizon);
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
