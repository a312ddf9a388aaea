package io.trainsight.insight.internal.report;

import io.trainsight.insight.diagnose.StatsSnapshot;
import io.trainsight.insight.diagnose.Units;
import io.trainsight.insight.report.RunReport;
import java.util.ArrayList;
import java.util.List;

/** The key figures at the top of the report and the dashboard, as label and value pairs. */
final class ReportFigures {

    private ReportFigures() {}

    static List<List<String>> of(RunReport report) {
        List<List<String>> figures = new ArrayList<>();
        RunTotals.Totals totals = report.totals();
        RunTotals.TimeSplit split = totals.split();
        figures.add(List.of("steps", Long.toString(totals.steps())));
        figures.add(List.of("steps per second", Units.format("%.1f", totals.stepsPerSecond())));
        figures.add(List.of("samples per second", Units.format("%.1f", totals.samplesPerSecond())));
        figures.add(List.of("mean step", Units.format("%.2f ms", totals.meanStepMs())));
        figures.add(List.of("data wait share", Units.percentOf(split.share(split.dataWait()))));
        figures.add(List.of("time split measured as", split.measured()));
        for (RunReport.DeviceSummary device : report.devices()) {
            StatsSnapshot s = device.stats();
            String what = s.host() ? " process CPU" : " utilisation";
            figures.add(List.of(device.id() + what, Units.percent(s.utilMean())));
            figures.add(
                    List.of(
                            device.id() + " memory peak",
                            Units.bytes(s.memoryPeak())
                                    + " of "
                                    + Units.bytes(s.memoryCapacity())));
            if (!s.host() && s.otherMemoryPeak() > 0) {
                figures.add(
                        List.of(
                                device.id() + " other processes' memory peak",
                                Units.bytes(s.otherMemoryPeak())));
            }
            if (!Double.isNaN(device.energyPerSample())) {
                figures.add(
                        List.of(
                                device.id() + " energy per sample",
                                Units.format("%.4f J", device.energyPerSample())));
            }
        }
        figures.add(List.of("findings", Integer.toString(report.findings().size())));
        return figures;
    }
}
