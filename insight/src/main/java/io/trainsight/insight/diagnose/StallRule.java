package io.trainsight.insight.diagnose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stalls: outlier steps (5 times the rolling median or more) grouped into episodes, each with what
 * coincided (a GC pause, a checkpoint write, a data wait, contention, throttling). Raised when the
 * stalls lose a share of step time (5 %) and at least some time in all (200 ms), so the odd slow
 * step of a busy machine is not a finding. The report marks the episodes on the step-time chart.
 */
final class StallRule implements Rule {

    /** The most episodes listed in the evidence; the finding counts them all. */
    static final int LISTED = 20;

    private final SignalThresholds limits;

    StallRule(DiagnosisThresholds thresholds) {
        this.limits = thresholds.signals();
    }

    @Override
    public FindingKind kind() {
        return FindingKind.STALL;
    }

    @Override
    public boolean perDevice() {
        return false;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        SignalStats s = stats.signals();
        double share = s.lostShare();
        if (Double.isNaN(share) || s.lostNanos == 0) {
            return 0;
        }
        double byShare = share / limits.stallShare();
        double lostMs = s.lostNanos / 1e6;
        return limits.stallMinLostMs() == 0
                ? byShare
                : Math.min(byShare, lostMs / limits.stallMinLostMs());
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        SignalStats s = stats.signals();
        List<StallEpisode> episodes = s.episodes;
        Map<String, Integer> causes = new TreeMap<>();
        for (StallEpisode episode : episodes) {
            causes.merge(episode.cause(), 1, Integer::sum);
        }
        StallEpisode worst =
                episodes.stream()
                        .max(Comparator.comparingLong(StallEpisode::lostNanos))
                        .orElse(null);
        List<String> listed = new ArrayList<>();
        for (StallEpisode episode : episodes.subList(0, Math.min(LISTED, episodes.size()))) {
            listed.add(episode.describe());
        }
        double median = s.context == null ? Double.NaN : s.context.medianNanos() / 1e6;
        double share = s.lostShare();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("episodes", listed);
        evidence.put("episode_count", episodes.size() + s.episodesDropped);
        evidence.put("stall_steps", s.outlierSteps);
        evidence.put("lost_ms", Units.round(s.lostNanos / 1e6, 1));
        evidence.put("lost_share", Units.round(share, 4));
        evidence.put("median_step_ms", Units.round(median, 3));
        evidence.put("causes", causeList(causes));
        evidence.put("threshold_factor", limits.stallFactor());
        evidence.put("threshold_share", limits.stallShare());
        evidence.put("threshold_min_lost_ms", limits.stallMinLostMs());
        long first = episodes.isEmpty() ? s.firstStep : episodes.get(0).first();
        long last = episodes.isEmpty() ? s.lastStep : episodes.get(episodes.size() - 1).last();
        return new Finding(
                kind(),
                share >= 4 * limits.stallShare() ? Severity.WARNING : Severity.INFO,
                scope,
                SlowdownRule.STEPS,
                first,
                last,
                "stalls",
                Units.format(
                                "%d step(s) took %.0fx the rolling median or more, in %d"
                                        + " episode(s), losing %.1f ms (%s of step time)",
                                s.outlierSteps,
                                limits.stallFactor(),
                                episodes.size() + s.episodesDropped,
                                s.lostNanos / 1e6,
                                Units.percentOf(share))
                        + (worst == null ? "" : "; the worst, steps " + worst.describe()),
                evidence,
                advice(causes));
    }

    private static List<String> causeList(Map<String, Integer> causes) {
        List<String> list = new ArrayList<>();
        causes.forEach((cause, count) -> list.add(cause + ": " + count));
        return list;
    }

    private static String advice(Map<String, Integer> causes) {
        List<String> advice = new ArrayList<>();
        for (String cause : causes.keySet()) {
            advice.add(
                    switch (cause) {
                        case "gc" -> "GC pauses: more heap or less allocation (see gc)";
                        case "checkpoint" ->
                                "checkpoint writes: checkpoint less often, or to faster storage";
                        case "data-wait" ->
                                "the loader fell behind: a deeper prefetch ({prefetch}) or more"
                                        + " workers ({workers})";
                        case "contention" -> "other processes took the CPU (see contention)";
                        case "throttling" -> "the GPU throttled (see throttled)";
                        default ->
                                "nothing measured coincided: look at the machine (swap, disk"
                                        + " writeback, a neighbour's burst) or periodic work in"
                                        + " the training code";
                    });
        }
        return String.join("; ", advice);
    }
}
