package io.trainsight.insight.internal.report;

import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.FindingKind;
import io.trainsight.insight.diagnose.Severity;
import io.trainsight.insight.report.RunReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's answer to "is it input-bound? at OOM risk? throttled?", from the whole-run findings
 * only: summary.json's {@code verdict}. Findings raised live on the rolling window that the whole
 * run does not show ({@code scope} {@code live}: an episode) are left out of it.
 */
public final class Verdict {

    private Verdict() {}

    /**
     * Returns the verdict of a report.
     *
     * @param report the report
     * @return {@code input_bound} ({@code highly}, {@code moderately} or {@code no}), {@code
     *     samples_joined} (whether any GPU or host sample was joined with a step, so the device
     *     rules could judge), and {@code findings}: for every kind of finding, the severity of its
     *     whole-run finding, or {@code no}
     */
    public static Map<String, Object> of(RunReport report) {
        Map<String, Object> verdict = new LinkedHashMap<>();
        Severity inputBound = severity(report.findings(), FindingKind.INPUT_BOUND);
        verdict.put(
                "input_bound",
                inputBound == null
                        ? "no"
                        : inputBound.compareTo(Severity.WARNING) >= 0 ? "highly" : "moderately");
        verdict.put("samples_joined", samplesJoined(report));
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (FindingKind kind : FindingKind.values()) {
            Severity severity = severity(report.findings(), kind);
            kinds.put(kind.label(), severity == null ? "no" : severity.label());
        }
        verdict.put("findings", kinds);
        return verdict;
    }

    /**
     * Returns whether any device sample was joined with a step: false without a monitor, and when
     * the monitor took no sample while the steps ran.
     *
     * @param report the report
     * @return whether the device rules had samples to judge
     */
    public static boolean samplesJoined(RunReport report) {
        for (RunReport.DeviceSummary device : report.devices()) {
            if (device.stats().utilSteps() > 0 || device.stats().memoryPeak() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The most severe whole-run finding of a kind (an out-of-memory counts as whole-run). */
    private static Severity severity(List<Finding> findings, FindingKind kind) {
        Severity worst = null;
        for (Finding finding : findings) {
            boolean wholeRun =
                    Finding.RUN.equals(finding.scope()) || kind == FindingKind.OUT_OF_MEMORY;
            if (finding.kind() == kind
                    && wholeRun
                    && (worst == null || finding.severity().compareTo(worst) > 0)) {
                worst = finding.severity();
            }
        }
        return worst;
    }
}
