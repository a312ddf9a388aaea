package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Contention on the host: in at least half the steps, other processes took a share of the machine's
 * CPU (30 % of all cores) while more threads were runnable than the machine has cores, so this
 * run's threads waited for a core. Such a run is slow and its utilisation low for reasons outside
 * the code: it gets this finding, not low utilisation. The run's own threads (the engine's intra-op
 * pool and the loader's workers) against the cores tell whether it over-subscribes them as well.
 *
 * <p>Host side only: the GPU side of contention (other processes on the same GPU, from NVML's
 * process list) is a per-device rule over {@link StatsSnapshot}, which this one leaves to it.
 */
final class ContentionRule implements Rule {

    /** The device of the findings about the host. */
    static final String HOST = "host";

    private final SignalThresholds limits;

    ContentionRule(DiagnosisThresholds thresholds) {
        this.limits = thresholds.signals();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.CONTENTION;
    }

    @Override
    public boolean perDevice() {
        return false;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        double share = stats.signals().contendedShare();
        return Double.isNaN(share) ? 0 : share / limits.contentionShare();
    }

    /** Tells whether the steps were contended enough to explain a low utilisation. */
    static boolean explainsLowUtilization(StatsSnapshot stats, DiagnosisThresholds thresholds) {
        double share = stats.signals().contendedShare();
        return !Double.isNaN(share)
                && share >= thresholds.signals().contentionShare() * thresholds.clearRatio();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        SignalStats s = stats.signals();
        // the training thread is one of the engine's intra-op threads
        int runThreads = s.threads;
        boolean oversubscribed = runThreads > 0 && s.cores > 0 && runThreads > s.cores;
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("contended_share", Units.round(s.contendedShare(), 4));
        evidence.put("contended_steps", s.contendedSteps);
        evidence.put("steps_with_load", s.loadSteps);
        evidence.put("other_processes_cpu_percent", Units.round(s.othersCpu, 1));
        evidence.put("process_cpu_percent", Units.round(s.processCpu, 1));
        evidence.put("system_cpu_percent", Units.round(s.systemCpu, 1));
        evidence.put("runnable_threads", Units.round(s.runnable, 2));
        evidence.put("cores", s.cores);
        if (runThreads > 0) {
            evidence.put("run_threads", runThreads);
            evidence.put("oversubscribed", oversubscribed);
        }
        evidence.put("threshold_others_percent", limits.contentionOthers());
        evidence.put("threshold_share", limits.contentionShare());
        long[] span = Rule.span(stats, s.contendedRange);
        String summary =
                Units.format(
                                "other processes took %.0f %% of the machine's CPU while this run's"
                                        + " threads waited for a core (%.1f threads runnable on %d"
                                        + " cores) in %s of the steps; this process got %.0f %%",
                                s.othersCpu,
                                s.runnable,
                                s.cores,
                                Units.percentOf(s.contendedShare()),
                                s.processCpu)
                        + (oversubscribed
                                ? Units.format(
                                        ", and it keeps %d threads busy on %d cores"
                                                + " (over-subscribed)",
                                        runThreads, s.cores)
                                : "");
        return new Finding(
                kind(),
                Severity.WARNING,
                scope,
                HOST,
                span[0],
                span[1],
                "CPU contention",
                summary,
                evidence,
                "The run is not getting the cores, so its step time and utilisation are not the"
                        + " model's: move the other work or the run to free cores, keep them apart"
                        + " (taskset, cgroup CPU sets), or use fewer threads (the engine's"
                        + " intra-op threads, {threads}, plus loader workers, {workers}, within the"
                        + " free cores)");
    }
}
