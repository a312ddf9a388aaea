package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The rules evaluated on a rolling window of steps while the run goes on, with hysteresis: a
 * finding is raised once when its level reaches its threshold, stays raised (its step range
 * growing) while the level stays above {@link DiagnosisThresholds#clearRatio()} of the threshold,
 * and clears only once the level has stayed below that for a whole window. A noisy measure that
 * wobbles around the threshold therefore raises one finding, not one per step. A condition that
 * comes and goes for hours raises one finding per episode, all kept, but only the 1st, 2nd, 4th,
 * 8th... episode of a rule on a device is announced (so a run announces it a few times, never once
 * per episode); a finding more severe than any announced before is announced too. The window is
 * evaluated every {@code windowSteps / 10} steps (every 5 by default), which keeps the cost per
 * step a fraction of a microsecond; a finding's steps are exact all the same.
 */
final class LiveDiagnosis {

    /** Episodes kept; later ones are counted, not kept (a run that flaps this much says so). */
    static final int MAX_EPISODES = 256;

    private final DiagnosisThresholds thresholds;
    private final List<Rule> rules;
    private final WindowStats[] windows;
    private final Episode[][] episodes;
    private final List<Finding> closed = new ArrayList<>();
    private final Consumer<Finding> announce;
    private final SignalTracker signals;
    private long dropped;
    private final int stride;
    private long sinceEvaluation;

    /** The state of one rule on one device. */
    private static final class Episode {
        boolean active;
        long first;
        long lastAbove;
        long belowSince = -1;
        long count;
        Severity announced;
        Finding finding;
    }

    LiveDiagnosis(
            DiagnosisThresholds thresholds,
            List<Rule> rules,
            List<String> devices,
            List<Boolean> hosts,
            SignalTracker signals,
            Consumer<Finding> announce) {
        this.thresholds = thresholds;
        this.signals = signals;
        this.rules = rules;
        this.announce = announce;
        this.stride = Math.max(1, thresholds.windowSteps() / 10);
        windows = new WindowStats[devices.size()];
        episodes = new Episode[devices.size()][rules.size()];
        for (int d = 0; d < windows.length; d++) {
            windows[d] = new WindowStats(devices.get(d), hosts.get(d), thresholds);
            for (int r = 0; r < rules.size(); r++) {
                episodes[d][r] = new Episode();
            }
        }
    }

    void add(StepRecord record, List<StepInsight> insights, long remainingSteps) {
        for (int d = 0; d < windows.length; d++) {
            windows[d].add(record, insights.isEmpty() ? null : insights.get(d));
        }
        if (++sinceEvaluation < stride) {
            return;
        }
        sinceEvaluation = 0;
        SignalStats steps = null;
        for (int d = 0; d < windows.length; d++) {
            WindowStats window = windows[d];
            if (window.count() < Math.max(2, window.size() / 2)) {
                continue;
            }
            if (steps == null) {
                steps = signals.window();
            }
            StatsSnapshot stats = window.snapshot(steps);
            for (int r = 0; r < rules.size(); r++) {
                Rule rule = rules.get(r);
                if (d > 0 && !rule.perDevice()) {
                    continue; // a property of the step, judged once
                }
                evaluate(rule, episodes[d][r], stats, record.step(), remainingSteps);
            }
        }
    }

    private void evaluate(
            Rule rule, Episode episode, StatsSnapshot stats, long step, long remainingSteps) {
        double level = rule.level(stats, remainingSteps);
        if (!episode.active) {
            if (level >= 1) {
                raise(rule, episode, stats, step, remainingSteps);
            }
            return;
        }
        if (level < thresholds.clearRatio()) {
            if (episode.belowSince < 0) {
                episode.belowSince = step;
            }
            if (step - episode.belowSince >= thresholds.windowSteps()) {
                episode.active = false;
                keep(
                        episode.finding
                                .withSteps(episode.first, episode.lastAbove)
                                .withEvidence("cleared_at_step", step));
            }
            return;
        }
        episode.belowSince = -1;
        episode.lastAbove = step;
        if (level >= 1) {
            Finding now = rule.finding(stats, remainingSteps, Finding.LIVE);
            if (now.severity().compareTo(episode.finding.severity()) > 0) {
                episode.finding =
                        now.withSteps(episode.first, step)
                                .withEvidence(
                                        "raised_at_step",
                                        episode.finding.evidence().get("raised_at_step"))
                                .withEvidence("escalated_at_step", step);
                announceIfNew(episode, false);
                return;
            }
        }
        episode.finding = episode.finding.withSteps(episode.first, step);
    }

    private void raise(
            Rule rule, Episode episode, StatsSnapshot stats, long step, long remainingSteps) {
        episode.active = true;
        episode.count++;
        episode.first = stats.firstStep();
        episode.lastAbove = step;
        episode.belowSince = -1;
        Finding finding =
                rule.finding(stats, remainingSteps, Finding.LIVE)
                        .withSteps(episode.first, step)
                        .withEvidence("raised_at_step", step);
        if (episode.count > 1) {
            finding = finding.withEvidence("episode", episode.count);
        }
        episode.finding = finding;
        announceIfNew(episode, Long.bitCount(episode.count) == 1);
    }

    /** Announces the 1st, 2nd, 4th... episode, and a severity not announced before. */
    private void announceIfNew(Episode episode, boolean countDue) {
        Severity severity = episode.finding.severity();
        boolean moreSevere = episode.announced == null || severity.compareTo(episode.announced) > 0;
        if (countDue || moreSevere) {
            if (moreSevere) {
                episode.announced = severity;
            }
            announce.accept(episode.finding);
        }
    }

    private void keep(Finding finding) {
        if (closed.size() < MAX_EPISODES) {
            closed.add(finding);
        } else {
            dropped++;
        }
    }

    /** Returns every finding raised so far, the cleared ones and those still raised. */
    List<Finding> findings() {
        List<Finding> all = new ArrayList<>(closed);
        for (Episode[] device : episodes) {
            for (Episode episode : device) {
                if (episode.active) {
                    all.add(episode.finding);
                }
            }
        }
        return all;
    }

    /** Returns the findings raised that no longer fit in memory. */
    long dropped() {
        return dropped;
    }

    /** Returns the rolling window of a device now. */
    StatsSnapshot window(int device) {
        return windows[device].count() == 0 ? null : windows[device].snapshot();
    }
}
