package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NDArray leak: the live NDArrays of the model's manager tree (its parameters, the trainer's
 * manager, and whatever the training code attached to them) grow step over step along a straight
 * line (a least-squares trend, at least 0.25 arrays per step with R² 0.8 or more, over at least
 * {@code trend-min-steps} steps). Per-step arrays that are closed leave the count flat; arrays kept
 * attached to a manager that outlives the step make it climb. Names the manager that grows and,
 * once sampled, the code that creates the arrays that stay alive.
 */
final class ArrayLeakRule implements Rule {

    private final DiagnosisThresholds thresholds;
    private final SignalThresholds limits;

    ArrayLeakRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
        this.limits = thresholds.signals();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.NDARRAY_LEAK;
    }

    @Override
    public boolean perDevice() {
        return false;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        SignalStats s = stats.signals();
        if (s.arrayPoints < 3
                || s.arraysLastStep - s.arraysFirstStep + 1 < thresholds.trendMinSteps()
                || !(s.arraysSlope > 0)) {
            return 0;
        }
        return Math.min(
                s.arraysSlope / limits.leakArraysPerStep(), s.arraysR2 / limits.leakMinR2());
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        SignalStats s = stats.signals();
        double bytesPerStep = Double.isNaN(s.bytesSlope) ? 0 : Math.max(0, s.bytesSlope);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("live_arrays_first", Math.round(s.arraysFirst));
        evidence.put("live_arrays_last", Math.round(s.arraysLast));
        evidence.put("live_bytes_last", Math.round(s.bytesLast));
        evidence.put("arrays_per_step", Units.round(s.arraysSlope, 3));
        evidence.put("bytes_per_step", Math.round(bytesPerStep));
        evidence.put("trend_r2", Units.round(s.arraysR2, 3));
        evidence.put("census_steps", s.arrayPoints);
        evidence.put("growing_manager", s.growing == null ? "-" : s.growing);
        if (s.site != null) {
            evidence.put("allocation_site", s.site);
        }
        if (remainingSteps > 0) {
            evidence.put("remaining_steps", remainingSteps);
            evidence.put(
                    "projected_arrays_at_end",
                    Math.round(s.arraysLast + s.arraysSlope * remainingSteps));
            evidence.put(
                    "projected_bytes_at_end",
                    Math.round(s.bytesLast + bytesPerStep * remainingSteps));
        }
        evidence.put("threshold_arrays_per_step", limits.leakArraysPerStep());
        evidence.put("threshold_r2", limits.leakMinR2());
        String summary =
                Units.format(
                                "live NDArrays grow %.2f per step (R² %.2f over steps %d-%d): %d ->"
                                        + " %d arrays, %s now, %s more per step",
                                s.arraysSlope,
                                s.arraysR2,
                                Math.round(s.arraysFirstStep),
                                Math.round(s.arraysLastStep),
                                Math.round(s.arraysFirst),
                                Math.round(s.arraysLast),
                                bytes(Math.round(s.bytesLast)),
                                bytes(Math.round(bytesPerStep)))
                        + (s.growing == null ? "" : ", most of them in " + s.growing)
                        + (s.site == null ? "" : "; the arrays that stay are created at " + s.site);
        return new Finding(
                kind(),
                Severity.WARNING,
                scope,
                GcRule.JVM,
                Math.round(s.arraysFirstStep),
                Math.round(s.arraysLastStep),
                "NDArrays leaking",
                summary,
                evidence,
                "Close what each step creates: keep per-step arrays in a sub-manager closed at the"
                        + " end of the step (try (NDManager step = manager.newSubManager()) {...})"
                        + " or an NDScope; do not attach outputs, losses or gradients to the"
                        + " model's or the trainer's manager; read values with getFloat() and close"
                        + " the array; detach only what must outlive the step, and close it later");
    }

    /** Bytes in KiB below a MiB, where {@link Units#bytes} would say 0 MiB. */
    private static String bytes(long bytes) {
        return bytes < (1 << 20) ? Units.format("%.1f KiB", bytes / 1024.0) : Units.bytes(bytes);
    }
}
