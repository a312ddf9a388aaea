package io.trainsight.insight.diagnose;

import io.trainsight.gpu.ThrottleReason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throttled: the GPU reported clock-event reasons outside the code's control (power cap, thermal
 * slowdown, power brake, hardware slowdown) during a share of the steps; a warning when those steps
 * were slower than the others.
 */
final class ThrottleRule implements Rule {

    private final DiagnosisThresholds thresholds;

    ThrottleRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.THROTTLED;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        if (stats.steps() == 0) {
            return 0;
        }
        return (double) stats.throttledSteps() / stats.steps() / thresholds.throttledShare();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        double throttledMs = stats.throttledNanos() / 1e6 / stats.throttledSteps();
        long others = stats.steps() - stats.throttledSteps();
        double otherMs =
                others == 0
                        ? Double.NaN
                        : (stats.durationNanos() - stats.throttledNanos()) / 1e6 / others;
        double slowdown = throttledMs / otherMs;
        boolean slower = slowdown >= thresholds.throttleSlowdown();
        List<String> reasons =
                ThrottleReason.decode(stats.throttleMask() & StepConditions.SLOWDOWN_BITS).stream()
                        .map(ThrottleReason::nvmlName)
                        .toList();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("reasons", reasons);
        evidence.put("throttled_steps", stats.throttledSteps());
        evidence.put("steps", stats.steps());
        evidence.put("throttled_step_ms", Units.round(throttledMs, 3));
        evidence.put("other_step_ms", Units.round(otherMs, 3));
        evidence.put("slowdown", Units.round(slowdown, 3));
        evidence.put("threshold_share", thresholds.throttledShare());
        evidence.put("threshold_slowdown", thresholds.throttleSlowdown());
        long[] span = Rule.span(stats, stats.throttleRange());
        return new Finding(
                kind(),
                slower ? Severity.WARNING : Severity.INFO,
                scope,
                stats.device(),
                span[0],
                span[1],
                "throttled",
                Units.format(
                        "clocks held down (%s) during %d of %d steps; those steps took %.2f ms"
                                + " against %.2f ms for the others",
                        String.join(", ", reasons),
                        stats.throttledSteps(),
                        stats.steps(),
                        throttledMs,
                        otherMs),
                evidence,
                "Check the cooling and the power limit (nvidia-smi -q -d PERFORMANCE,POWER): the"
                        + " GPU slowed itself down, not the code");
    }
}
