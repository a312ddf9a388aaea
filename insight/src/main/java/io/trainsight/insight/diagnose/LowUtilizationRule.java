package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Low utilisation: the device is below the low threshold (30 %) in most steps although the steps
 * hardly wait for data, so the time goes to host-side work or kernel launches. Not raised when the
 * steps were contended (other processes took the cores): that is the contention finding's.
 */
final class LowUtilizationRule implements Rule {

    private final DiagnosisThresholds thresholds;

    LowUtilizationRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.LOW_UTILIZATION;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        double low = stats.lowUtilShare();
        if (Double.isNaN(low)
                || stats.waitShare() >= thresholds.inputBoundModerate()
                || ContentionRule.explainsLowUtilization(stats, thresholds)) {
            return 0;
        }
        return low / thresholds.lowUtilizationShare();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        String what = stats.host() ? "process CPU" : "GPU utilisation";
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("util_mean_percent", Units.round(stats.utilMean(), 1));
        evidence.put("low_util_share", Units.round(stats.lowUtilShare(), 4));
        evidence.put("low_util_steps", stats.lowUtilSteps());
        evidence.put("steps_with_util", stats.utilSteps());
        evidence.put("data_wait_share", Units.round(stats.waitShare(), 4));
        evidence.put("threshold_percent", thresholds.lowUtilization());
        evidence.put("threshold_share", thresholds.lowUtilizationShare());
        long[] span = Rule.span(stats, stats.lowUtilRange());
        return new Finding(
                kind(),
                Severity.WARNING,
                scope,
                stats.device(),
                span[0],
                span[1],
                "low utilisation",
                Units.format(
                        "%s below %.0f %% in %s of steps (mean %s) while data wait is only %s of"
                                + " step time",
                        what,
                        thresholds.lowUtilization(),
                        Units.percentOf(stats.lowUtilShare()),
                        Units.percent(stats.utilMean()),
                        Units.percentOf(stats.waitShare())),
                evidence,
                "The device waits on host-side work or kernel launches: use a larger batch, fewer"
                        + " small operations, less work between steps; check that the model runs"
                        + " on the device you expect");
    }
}
