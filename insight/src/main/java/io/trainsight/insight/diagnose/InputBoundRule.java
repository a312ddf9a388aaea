package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input-bound: the steps spend a share of their time waiting for data (TensorFlow Profiler's
 * classification: highly from 20 %, moderately from 5 %). On a GPU the wait counts only while the
 * GPU is not busy during it; on the host the CPU that decodes is the one that trains, so the wait
 * alone decides.
 */
final class InputBoundRule implements Rule {

    private final DiagnosisThresholds thresholds;

    InputBoundRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.INPUT_BOUND;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        double share = stats.waitShare();
        if (Double.isNaN(share)) {
            return 0;
        }
        if (!stats.host()
                && !Double.isNaN(stats.utilDuringWait())
                && stats.utilDuringWait() >= thresholds.busyDuringWait()) {
            return 0;
        }
        return share / thresholds.inputBoundModerate();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        double share = stats.waitShare();
        boolean high = share >= thresholds.inputBoundHigh();
        double waitMs = stats.waitNanos() / 1e6 / stats.steps();
        String during =
                Double.isNaN(stats.utilDuringWait())
                        ? ""
                        : Units.format(
                                "; %s during the waits %s",
                                stats.host() ? "process CPU" : "GPU utilisation",
                                Units.percent(stats.utilDuringWait()));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("data_wait_share", Units.round(share, 4));
        evidence.put("data_wait_ms_per_step", Units.round(waitMs, 3));
        evidence.put("step_ms", Units.round(stats.meanStepMillis(), 3));
        evidence.put("util_during_wait_percent", Units.round(stats.utilDuringWait(), 1));
        evidence.put("steps", stats.steps());
        evidence.put("steps_waiting", stats.waitSteps() == null ? 0 : stats.waitSteps().count());
        evidence.put("threshold_high", thresholds.inputBoundHigh());
        evidence.put("threshold_moderate", thresholds.inputBoundModerate());
        long[] span = Rule.span(stats, stats.waitSteps());
        return new Finding(
                kind(),
                high ? Severity.WARNING : Severity.INFO,
                scope,
                stats.device(),
                span[0],
                span[1],
                high ? "highly input-bound" : "moderately input-bound",
                Units.format(
                        "data wait is %s of step time (%.2f of %.2f ms per step; %s from %s)%s",
                        Units.percentOf(share),
                        waitMs,
                        stats.meanStepMillis(),
                        high ? "highly" : "moderately",
                        Units.percentOf(
                                high
                                        ? thresholds.inputBoundHigh()
                                        : thresholds.inputBoundModerate()),
                        during),
                evidence,
                "Feed the steps faster: more loader workers ({workers}), a deeper prefetch"
                        + " ({prefetch}), cheaper decoding, or cache decoded samples");
    }
}
