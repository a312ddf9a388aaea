package io.trainsight.insight.diagnose;

import io.trainsight.gpu.ThrottleReason;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;

/** The per-step tests behind the step ranges of the findings. */
final class StepConditions {

    /** The reasons that slow a GPU down for reasons outside the code. */
    static final long SLOWDOWN_BITS =
            ThrottleReason.SW_POWER_CAP.bit()
                    | ThrottleReason.HW_SLOWDOWN.bit()
                    | ThrottleReason.SW_THERMAL_SLOWDOWN.bit()
                    | ThrottleReason.HW_THERMAL_SLOWDOWN.bit()
                    | ThrottleReason.HW_POWER_BRAKE_SLOWDOWN.bit();

    private StepConditions() {}

    static boolean waiting(StepRecord record, DiagnosisThresholds thresholds) {
        return record.durationNanos() > 0
                && (double) record.dataWaitNanos() / record.durationNanos()
                        >= thresholds.inputBoundModerate();
    }

    static boolean lowUtil(StepInsight insight, DiagnosisThresholds thresholds) {
        return insight != null
                && !Double.isNaN(insight.utilMean())
                && insight.utilMean() < thresholds.lowUtilization();
    }

    static boolean highMemory(StepInsight insight, DiagnosisThresholds thresholds) {
        return insight != null && insight.memoryShare() >= thresholds.oomPeakShare();
    }

    static boolean throttled(StepInsight insight) {
        return insight != null && (insight.throttleMask() & SLOWDOWN_BITS) != 0;
    }
}
