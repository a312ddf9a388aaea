package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Diagnoses a run from its steps and their samples: input-bound, low utilisation, OOM risk (by peak
 * and by trend), throttling, and an out-of-memory that happened; and from the JVM and host signals
 * of each step: GC, leaked NDArrays, slowdown, contention and stalls. The rules run live on a
 * rolling window ({@link DiagnosisThresholds#windowSteps()}, with hysteresis) and over the whole
 * run at the end. Memory is constant in the run's length. The first {@link
 * DiagnosisThresholds#warmupSteps()} steps are left out.
 *
 * <pre>{@code
 * Diagnoser diagnoser = new Diagnoser(DiagnosisThresholds.defaults(), List.of("gpu0"),
 *         List.of(false), finding -> log.warn(finding.describe()));
 * diagnoser.onStep(record, insights, remainingSteps);    // for every step
 * List<Finding> findings = diagnoser.findings();          // at the end
 * }</pre>
 *
 * <p>Used on one thread.
 */
public final class Diagnoser {

    private final DiagnosisThresholds thresholds;
    private final Advice advice;
    private final List<Rule> rules;
    private final List<String> devices;
    private final RunStats[] run;
    private final LiveDiagnosis live;
    private final SignalTracker signals;
    private long seen;
    private Finding outOfMemory;

    /**
     * Creates a diagnosis.
     *
     * @param thresholds the thresholds
     * @param devices the devices' ids, in the order of the insights given to {@link #onStep}; one
     *     (any name) when steps come without insights
     * @param hosts for each device, whether it is the host standing in for a GPU
     * @param onLiveFinding told once when a live finding is raised (and once more if it escalates)
     */
    public Diagnoser(
            DiagnosisThresholds thresholds,
            List<String> devices,
            List<Boolean> hosts,
            Consumer<Finding> onLiveFinding) {
        this(thresholds, Advice.CLI, devices, hosts, onLiveFinding);
    }

    /**
     * Creates a diagnosis whose advice speaks a given vocabulary.
     *
     * @param thresholds the thresholds
     * @param advice the names the advice gives the settings it suggests
     * @param devices the devices' ids, in the order of the insights given to {@link #onStep}; one
     *     (any name) when steps come without insights
     * @param hosts for each device, whether it is the host standing in for a GPU
     * @param onLiveFinding told once when a live finding is raised (and once more if it escalates)
     */
    public Diagnoser(
            DiagnosisThresholds thresholds,
            Advice advice,
            List<String> devices,
            List<Boolean> hosts,
            Consumer<Finding> onLiveFinding) {
        if (devices.isEmpty() || devices.size() != hosts.size()) {
            throw new IllegalArgumentException(
                    "devices must name at least one device, with one host flag each; got "
                            + devices
                            + " and "
                            + hosts);
        }
        this.thresholds = thresholds;
        this.advice = advice;
        this.devices = List.copyOf(devices);
        this.rules =
                List.of(
                        new InputBoundRule(thresholds),
                        new LowUtilizationRule(thresholds),
                        new OomRiskRule(thresholds),
                        new ThrottleRule(thresholds),
                        new SharedGpuRule(thresholds),
                        new GcRule(thresholds),
                        new ArrayLeakRule(thresholds),
                        new SlowdownRule(thresholds),
                        new ContentionRule(thresholds),
                        new StallRule(thresholds));
        run = new RunStats[devices.size()];
        for (int d = 0; d < run.length; d++) {
            run[d] = new RunStats(devices.get(d), hosts.get(d), thresholds);
        }
        signals = new SignalTracker(thresholds);
        live =
                new LiveDiagnosis(
                        thresholds,
                        rules,
                        devices,
                        hosts,
                        signals,
                        finding -> onLiveFinding.accept(advice.apply(finding)));
    }

    /**
     * Returns the thresholds.
     *
     * @return the thresholds
     */
    public DiagnosisThresholds thresholds() {
        return thresholds;
    }

    /**
     * Adds a step.
     *
     * @param record the step
     * @param insights one per device, in order; empty when there is no monitor
     * @param remainingSteps steps the run has still to go, or -1 when unknown (the trend then looks
     *     {@link DiagnosisThresholds#trendHorizonSteps()} ahead)
     */
    public void onStep(StepRecord record, List<StepInsight> insights, long remainingSteps) {
        onStep(record, insights, StepSignals.NONE, remainingSteps);
    }

    /**
     * Adds a step with its JVM and host signals.
     *
     * @param record the step
     * @param insights one per device, in order; empty when there is no monitor
     * @param stepSignals the step's GC pauses, live arrays and host load
     * @param remainingSteps steps the run has still to go, or -1 when unknown
     */
    public void onStep(
            StepRecord record,
            List<StepInsight> insights,
            StepSignals stepSignals,
            long remainingSteps) {
        if (++seen <= thresholds.warmupSteps()) {
            return;
        }
        signals.add(record, insights, stepSignals);
        for (int d = 0; d < run.length; d++) {
            run[d].add(record, insights.isEmpty() ? null : insights.get(d));
        }
        live.add(
                record,
                insights,
                remainingSteps < 0 ? thresholds.trendHorizonSteps() : remainingSteps);
    }

    /**
     * Records that the engine ran out of memory.
     *
     * @param step the step that failed
     * @param message the engine's message
     */
    public void onOutOfMemory(long step, String message) {
        StatsSnapshot before = live.window(0);
        outOfMemory =
                OutOfMemoryFinding.of(
                        step, message, before, before == null ? devices.get(0) : before.device());
    }

    /**
     * Returns the whole run's numbers of a device so far.
     *
     * @param device the device's position
     * @return the numbers
     */
    public StatsSnapshot runStats(int device) {
        return run[device].snapshot(signals.run());
    }

    /**
     * Returns the whole run's JVM and host numbers so far.
     *
     * @return the numbers
     */
    public SignalStats signalStats() {
        return signals.run();
    }

    /**
     * Returns the findings raised live so far, cleared or still raised.
     *
     * @return the findings, scope {@link Finding#LIVE}
     */
    public List<Finding> liveFindings() {
        return live.findings().stream().map(advice::apply).toList();
    }

    /**
     * Returns the run's findings: the rules over the whole run; the live findings of a kind and
     * device the whole run does not show (a trend that never reached its peak, an episode); and the
     * out-of-memory, if one happened. Most severe first.
     *
     * @return the findings
     */
    public List<Finding> findings() {
        List<Finding> liveFindings = live.findings();
        Map<String, Finding> firstLive = new LinkedHashMap<>();
        for (Finding finding : liveFindings) {
            firstLive.merge(
                    key(finding), finding, (a, b) -> a.firstStep() <= b.firstStep() ? a : b);
        }
        List<Finding> findings = new ArrayList<>();
        SignalStats steps = signals.run();
        for (int d = 0; d < run.length; d++) {
            StatsSnapshot stats = run[d].snapshot(steps);
            if (stats.steps() == 0) {
                continue;
            }
            for (Rule rule : rules) {
                if (d > 0 && !rule.perDevice()) {
                    continue;
                }
                if (rule.level(stats, 0) >= 1) {
                    Finding finding = rule.finding(stats, 0, Finding.RUN);
                    Finding earlier = firstLive.get(key(finding));
                    if (earlier != null) {
                        finding =
                                finding.withEvidence(
                                        "first_raised_live_at_step",
                                        earlier.evidence().get("raised_at_step"));
                    }
                    findings.add(finding);
                }
            }
        }
        for (Finding finding : liveFindings) {
            boolean shownByRun = findings.stream().anyMatch(run -> key(run).equals(key(finding)));
            if (!shownByRun) {
                findings.add(finding);
            }
        }
        if (outOfMemory != null) {
            findings.add(outOfMemory);
        }
        findings.sort(
                Comparator.comparing(Finding::severity)
                        .reversed()
                        .thenComparingLong(Finding::firstStep));
        return findings.stream().map(advice::apply).toList();
    }

    private static String key(Finding finding) {
        return finding.kind() + "@" + finding.device();
    }
}
