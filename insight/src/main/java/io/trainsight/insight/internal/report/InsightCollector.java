package io.trainsight.insight.internal.report;

import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.Diagnoser;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps what the outputs need while steps stream by, in memory bounded whatever the run's length:
 * the diagnosis (running sums and a rolling window), the totals, and the decimated chart series.
 * Fed live by {@link io.trainsight.insight.RunInsight} and again from the files by {@link
 * RunReplay}, so both give the same report.
 */
public final class InsightCollector {

    private final List<String> deviceIds;
    private final List<String> descriptions;
    private final long plannedSteps;
    private final Diagnoser diagnoser;
    private final RunTotals totals = new RunTotals();
    private final RunTotals counted = new RunTotals();
    private final ChartSeries series;
    private long seen;

    /**
     * Creates a collector.
     *
     * @param deviceIds the devices' ids, in the order of each step's insights; empty without a
     *     monitor
     * @param descriptions what each device is, in words
     * @param hosts for each device, whether it is the host standing in for a GPU
     * @param thresholds the diagnosis thresholds
     * @param advice the vocabulary of the findings' advice
     * @param plannedSteps the run's last step, or -1 when unknown
     * @param onLiveFinding told when a live finding is raised
     */
    public InsightCollector(
            List<String> deviceIds,
            List<String> descriptions,
            List<Boolean> hosts,
            DiagnosisThresholds thresholds,
            Advice advice,
            long plannedSteps,
            Consumer<Finding> onLiveFinding) {
        this.deviceIds = List.copyOf(deviceIds);
        this.descriptions = List.copyOf(descriptions);
        this.plannedSteps = plannedSteps;
        this.diagnoser =
                deviceIds.isEmpty()
                        ? new Diagnoser(
                                thresholds, advice, List.of("steps"), List.of(false), onLiveFinding)
                        : new Diagnoser(thresholds, advice, deviceIds, hosts, onLiveFinding);
        this.series = new ChartSeries(deviceIds.size());
    }

    /**
     * Sets the time the charts count seconds from.
     *
     * @param originNanos the run's origin
     */
    public void setOrigin(long originNanos) {
        series.setOrigin(originNanos);
    }

    /**
     * Adds a step.
     *
     * @param record the step
     * @param insights its rows, one per device (empty without a monitor)
     */
    public void add(StepRecord record, List<StepInsight> insights) {
        add(record, insights, StepSignals.NONE);
    }

    /**
     * Adds a step with its JVM and host signals.
     *
     * @param record the step
     * @param insights its rows, one per device (empty without a monitor)
     * @param signals its GC pauses, live arrays and host load
     */
    public void add(StepRecord record, List<StepInsight> insights, StepSignals signals) {
        long remaining = plannedSteps < 0 ? -1 : Math.max(0, plannedSteps - record.step());
        diagnoser.onStep(record, insights, signals, remaining);
        totals.add(record);
        if (++seen > diagnoser.thresholds().warmupSteps()) {
            counted.add(record);
        }
        series.add(record, insights, signals);
    }

    /**
     * Records an out-of-memory that ended the run.
     *
     * @param step the step that failed
     * @param message the engine's message
     */
    public void onOutOfMemory(long step, String message) {
        diagnoser.onOutOfMemory(step, message);
    }

    /**
     * Returns the findings raised live so far.
     *
     * @return the findings
     */
    public List<Finding> liveFindings() {
        return diagnoser.liveFindings();
    }

    /**
     * Returns the devices' ids.
     *
     * @return the ids, in order
     */
    public List<String> deviceIds() {
        return deviceIds;
    }

    /**
     * Builds the report of the steps so far.
     *
     * @param run what ran and how it ended
     * @param configuration the run's settings
     * @param environment engine, device, driver …
     * @param source {@link RunReport#GPU}, {@link RunReport#HOST} or {@link RunReport#NONE}
     * @param sourceDescription the source in words
     * @return the report
     */
    public RunReport report(
            RunReport.RunInfo run,
            Map<String, Object> configuration,
            Map<String, Object> environment,
            String source,
            String sourceDescription) {
        List<RunReport.DeviceSummary> devices = new ArrayList<>();
        for (int d = 0; d < deviceIds.size(); d++) {
            devices.add(
                    new RunReport.DeviceSummary(
                            deviceIds.get(d),
                            descriptions.get(d),
                            diagnoser.runStats(d),
                            counted.totals().samples()));
        }
        return new RunReport(
                run,
                configuration,
                environment,
                source,
                sourceDescription,
                diagnoser.thresholds(),
                totals.totals(),
                devices,
                diagnoser.findings(),
                series.columns(deviceIds),
                diagnoser.signalStats());
    }

    /**
     * Returns the totals of the steps after the warm-up, which the device numbers cover.
     *
     * @return the totals
     */
    public RunTotals.Totals countedTotals() {
        return counted.totals();
    }
}
