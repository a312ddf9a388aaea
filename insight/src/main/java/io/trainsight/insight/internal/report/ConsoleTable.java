package io.trainsight.insight.internal.report;

import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.StatsSnapshot;
import io.trainsight.insight.diagnose.Units;
import io.trainsight.insight.report.RunReport;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The insight of a run as a few lines for the terminal: the source of the samples, where the step
 * time went, a row per device, and the findings with their numbers and advice.
 */
public final class ConsoleTable {

    private static final String ROW = "  %-6s %9s %9s %12s %10s %10s %10s %8s %13s %10s%n";

    private ConsoleTable() {}

    /**
     * Prints a report.
     *
     * @param report the report
     * @param out where to print
     */
    public static void print(RunReport report, PrintWriter out) {
        out.println("Step-vs-GPU insight (source: " + report.sourceDescription() + ")");
        RunTotals.Totals totals = report.totals();
        RunTotals.TimeSplit split = totals.split();
        out.printf(
                Locale.ROOT,
                "  time split  data wait %s | forward %s | backward %s | optimizer %s | other %s"
                        + "  (%d steps, mean %.2f ms, %.1f samples/s)%n",
                Units.percentOf(split.share(split.dataWait())),
                Units.percentOf(split.share(split.forward())),
                Units.percentOf(split.share(split.backward())),
                Units.percentOf(split.share(split.optimizer())),
                Units.percentOf(split.share(split.other())),
                totals.steps(),
                totals.meanStepMs(),
                totals.samplesPerSecond());
        out.println("              split measured as " + split.measured());
        if (!report.devices().isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    ROW,
                    "device",
                    "util mean",
                    "util min",
                    "util in wait",
                    "mem peak",
                    "capacity",
                    "headroom",
                    "power",
                    "energy/sample",
                    "throttled");
            for (RunReport.DeviceSummary device : report.devices()) {
                row(device, out);
            }
            for (RunReport.DeviceSummary device : report.devices()) {
                memoryNote(device, out);
            }
        }
        boolean judged = Verdict.samplesJoined(report);
        String notJudged =
                "no "
                        + (report.source().equals(RunReport.NONE)
                                ? "monitor ran"
                                : "sample was joined with any step")
                        + ", so utilisation, memory and throttling were not judged";
        if (report.findings().isEmpty()) {
            out.println(
                    judged
                            ? "  findings    none: not input-bound, no low utilisation, no OOM"
                                    + " risk, no throttling, no GC pressure, no NDArray leak, no"
                                    + " slowdown, no contention, no stalls"
                            : "  findings    none from the steps' timing; " + notJudged);
        } else {
            out.println("  findings    " + report.findings().size());
            for (Finding finding : report.findings()) {
                out.printf(
                        Locale.ROOT,
                        "  %-8s %s on %s, steps %s (%s)%n",
                        finding.severity().label().toUpperCase(Locale.ROOT),
                        finding.title(),
                        finding.device(),
                        finding.steps(),
                        scope(finding));
                out.println("           " + finding.summary());
                out.println("           try: " + finding.advice());
            }
            if (!judged) {
                out.println("  not judged  " + notJudged);
            }
        }
        out.flush();
    }

    private static String scope(Finding finding) {
        if (finding.scope().equals(Finding.LIVE)) {
            return "an episode raised live at step "
                    + finding.evidence().get("raised_at_step")
                    + "; the whole run does not show it";
        }
        Object live = finding.evidence().get("first_raised_live_at_step");
        return live == null ? "whole run" : "whole run; first raised live at step " + live;
    }

    private static String headroom(StatsSnapshot s) {
        if (s.memoryPeak() < 0 || s.memoryCapacity() <= 0) {
            return "-";
        }
        long headroom = s.memoryCapacity() - s.memoryPeak();
        return headroom >= 0 ? Units.bytes(headroom) : "over " + Units.bytes(-headroom);
    }

    /** Says whose memory a GPU's row shows, and what other processes held. */
    private static void memoryNote(RunReport.DeviceSummary device, PrintWriter out) {
        StatsSnapshot s = device.stats();
        if (s.host()) {
            return;
        }
        String whose =
                switch (s.memoryBasis()) {
                    case "process" -> "mem peak is the run's own (NVML per-process)";
                    case "device" ->
                            "mem peak is device-wide (every process): the run's PID is not among"
                                    + " the GPU's processes";
                    case "mixed" ->
                            "mem peak is the run's own where its PID was listed, else"
                                    + " device-wide";
                    default -> "";
                };
        String others =
                s.otherMemoryPeak() < 0
                        ? ""
                        : "; other processes held up to "
                                + Units.bytes(s.otherMemoryPeak())
                                + (Double.isNaN(s.otherUtilMax())
                                        ? ""
                                        : " and used up to "
                                                + Units.percent(s.otherUtilMax())
                                                + " of the SMs");
        if (!whose.isEmpty() || !others.isEmpty()) {
            out.println("  " + device.id() + "   " + whose + others);
        }
    }

    private static void row(RunReport.DeviceSummary device, PrintWriter out) {
        StatsSnapshot s = device.stats();
        double energy = device.energyPerSample();
        out.printf(
                Locale.ROOT,
                ROW,
                device.id(),
                Units.percent(s.utilMean()),
                Units.percent(s.utilMin()),
                Units.percent(s.utilDuringWait()),
                Units.bytes(s.memoryPeak()),
                Units.bytes(s.memoryCapacity()),
                headroom(s),
                Double.isNaN(s.powerMean()) ? "-" : Units.format("%.0f W", s.powerMean()),
                Double.isNaN(energy) ? "-" : Units.format("%.3f J", energy),
                s.host() ? "-" : s.throttledSteps() + " steps");
    }
}
