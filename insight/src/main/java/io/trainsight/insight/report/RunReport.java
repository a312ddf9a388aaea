package io.trainsight.insight.report;

import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.SignalStats;
import io.trainsight.insight.diagnose.StatsSnapshot;
import io.trainsight.insight.internal.report.ChartSeries;
import io.trainsight.insight.internal.report.RunTotals;
import java.util.List;
import java.util.Map;

/**
 * Everything the outputs of a run show: summary.json, report.html and the console table are written
 * from this, during the run's end or re-read from its files.
 *
 * @param run what ran and how it ended
 * @param configuration the run's settings (run.json's content for the CLI), by name
 * @param environment engine, device, driver, GPUs, sampling, by name
 * @param source where the samples came from: {@code gpu}, {@code host} or {@code none}
 * @param sourceDescription the same in words, such as {@code host (no GPU): process CPU ...}
 * @param thresholds the diagnosis thresholds used
 * @param totals the totals and the time split
 * @param devices each device's whole-run numbers
 * @param findings the diagnosis, most severe first
 * @param series the decimated steps for the charts
 * @param signals the whole run's JVM and host numbers (GC pauses, live arrays, host load, stalls)
 */
public record RunReport(
        RunInfo run,
        Map<String, Object> configuration,
        Map<String, Object> environment,
        String source,
        String sourceDescription,
        DiagnosisThresholds thresholds,
        RunTotals.Totals totals,
        List<DeviceSummary> devices,
        List<Finding> findings,
        ChartSeries.Columns series,
        SignalStats signals) {

    /** The source of runs sampled through NVML. */
    public static final String GPU = "gpu";

    /** The source of runs sampled on the host, without a GPU. */
    public static final String HOST = "host";

    /** The source of runs without a monitor. */
    public static final String NONE = "none";

    /**
     * What ran and how it ended.
     *
     * @param name the run's name, such as the example's
     * @param directory the run directory
     * @param stopReason why it ended ({@code BUDGET}, {@code EARLY_STOPPING}, {@code INTERRUPTED},
     *     {@code OUT_OF_MEMORY}, {@code FAILED}), or null while it runs
     * @param failure the error's first line, or null
     * @param failedStep the step the error struck, or -1
     * @param plannedSteps the steps the run was to take, or -1 when unknown
     * @param missedSamples samples overwritten before they could be matched to a step
     */
    public record RunInfo(
            String name,
            String directory,
            String stopReason,
            String failure,
            long failedStep,
            long plannedSteps,
            long missedSamples) {}

    /**
     * One device over the whole run.
     *
     * @param id the device's id
     * @param description what it is
     * @param stats its numbers (after the warm-up steps)
     * @param samples the training samples of the steps its numbers cover
     */
    public record DeviceSummary(String id, String description, StatsSnapshot stats, long samples) {

        /**
         * Returns the energy per training sample.
         *
         * @return joules, or NaN without an energy reading
         */
        public double energyPerSample() {
            return samples == 0 ? Double.NaN : stats.energyJoules() / samples;
        }
    }
}
