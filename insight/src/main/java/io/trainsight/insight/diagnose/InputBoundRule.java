package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input-bound: the steps spend a share of their time waiting for data (TensorFlow Profiler's
 * classification: highly from 20 %, moderately from 5 %). On a GPU the wait counts only while the
 * GPU is not busy during it; on the host the CPU that decodes is the one that trains, so the wait
 * alone decides.
 *
 * <p>The advice follows the reason for the wait: when the machine's cores are saturated during the
 * waits (90 %, {@code cpu-saturated}), the input pipeline is CPU-bound and more loader workers
 * cannot help (they would share the same full cores); more workers are advised only when there is
 * idle CPU during the waits (the wait is I/O, or too few workers).
 *
 * <p>A wait below {@code input-bound-min-ms} per step (0.5 ms) is never a finding, whatever its
 * share of a short step: the default mlp job gathers its batch on the training thread in 0.1 ms
 * once the JIT has compiled the code (up to 0.35 ms averaged over 50 steps before that, in its
 * first 150 steps), and a hand-over from a loader thread made the wait longer, not shorter; no
 * setting would win such a wait back.
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
    public boolean perDevice() {
        return false;
    }

    /** The machine's CPU during the waits (the process's on the host without it), or NaN. */
    private static double cpuDuringWait(StatsSnapshot stats) {
        double machine = stats.signals().waitCpu;
        if (!Double.isNaN(machine)) {
            return machine;
        }
        return stats.host() ? stats.utilDuringWait() : Double.NaN;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        double share = stats.waitShare();
        if (Double.isNaN(share)
                || stats.waitNanos() / 1e6 / stats.steps() < thresholds.inputBoundMinMs()) {
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
        evidence.put("threshold_min_ms", thresholds.inputBoundMinMs());
        evidence.put("step_ms", Units.round(stats.meanStepMillis(), 3));
        evidence.put("util_during_wait_percent", Units.round(stats.utilDuringWait(), 1));
        evidence.put("steps", stats.steps());
        evidence.put("steps_waiting", stats.waitSteps() == null ? 0 : stats.waitSteps().count());
        double cpu = cpuDuringWait(stats);
        boolean saturated = cpu >= thresholds.signals().cpuSaturated();
        double others = stats.signals().othersCpu;
        boolean starved = saturated && others >= thresholds.signals().contentionOthers();
        evidence.put("cpu_busy_during_wait_percent", Units.round(cpu, 1));
        evidence.put(
                "input_pipeline",
                Double.isNaN(cpu)
                        ? "unknown"
                        : starved
                                ? "cpu taken by other processes"
                                : saturated ? "cpu-bound" : "idle cpu during waits");
        evidence.put("threshold_high", thresholds.inputBoundHigh());
        evidence.put("threshold_moderate", thresholds.inputBoundModerate());
        evidence.put("threshold_cpu_saturated", thresholds.signals().cpuSaturated());
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
                                "data wait is %s of step time (%.2f of %.2f ms per step; %s from"
                                        + " %s)%s",
                                Units.percentOf(share),
                                waitMs,
                                stats.meanStepMillis(),
                                high ? "highly" : "moderately",
                                Units.percentOf(
                                        high
                                                ? thresholds.inputBoundHigh()
                                                : thresholds.inputBoundModerate()),
                                during)
                        + (starved
                                ? Units.format(
                                        "; the machine's CPU was %.0f %% busy during the waits,"
                                                + " %.0f %% of it other processes': the input"
                                                + " pipeline is starved of CPU",
                                        cpu, others)
                                : saturated
                                        ? Units.format(
                                                "; the machine's CPU was %.0f %% busy during the"
                                                        + " waits: the input pipeline is CPU-bound",
                                                cpu)
                                        : ""),
                evidence,
                starved ? STARVED : saturated ? CPU_BOUND : MORE_WORKERS);
    }

    private static final String MORE_WORKERS =
            "Feed the steps faster: more loader workers ({workers}), a deeper prefetch"
                    + " ({prefetch}), cheaper decoding, or cache decoded samples";

    private static final String CPU_BOUND =
            "The cores are full while the steps wait, so more loader workers cannot help: make"
                    + " each batch cheaper to build (precompute or cache decoded and collated"
                    + " tensors, fewer or cheaper transforms, a cheaper format), keep loader"
                    + " workers ({workers}) plus the engine's threads ({threads}) within the cores,"
                    + " or use a machine with more cores";

    private static final String STARVED =
            "Other processes take the cores the loader needs (see contention): more workers"
                    + " would only compete for them; free the cores or move the run";
}
