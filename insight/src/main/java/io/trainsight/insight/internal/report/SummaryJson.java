package io.trainsight.insight.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainsight.gpu.ThrottleReason;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.StatsSnapshot;
import io.trainsight.insight.internal.storage.AtomicFiles;
import io.trainsight.insight.internal.storage.JsonErrors;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code summary.json}: the run, its configuration and environment, the thresholds, the
 * totals and time split, each device's numbers and the findings. Written atomically (a temporary
 * file renamed over), so a reader never sees half of it. Unknown numbers are {@code null}.
 */
public final class SummaryJson {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "summary.json";

    /** The value of the {@code format} field. */
    public static final String FORMAT = "trainsight-summary/1";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    /**
     * Writes a report's summary.
     *
     * @param report the report
     * @param file the file to write
     * @throws IOException if it cannot be written
     */
    public static void write(RunReport report, Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(tree(report)) + "\n");
    }

    /**
     * Returns the summary as a tree of maps and lists.
     *
     * @param report the report
     * @return the tree
     */
    public static Map<String, Object> tree(RunReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        RunReport.RunInfo run = report.run();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", run.name());
        info.put("directory", run.directory());
        info.put("stop_reason", run.stopReason());
        info.put("failure", run.failure());
        info.put("failed_step", run.failedStep() < 0 ? null : run.failedStep());
        info.put("planned_steps", run.plannedSteps() < 0 ? null : run.plannedSteps());
        info.put("missed_samples", run.missedSamples());
        root.put("run", info);
        root.put("configuration", report.configuration());
        Map<String, Object> environment = new LinkedHashMap<>(report.environment());
        environment.put("source", report.source());
        environment.put("source_description", report.sourceDescription());
        root.put("environment", environment);
        root.put("thresholds", report.thresholds().toMap());
        root.put("totals", totals(report.totals()));
        root.put("time_split", split(report.totals().split()));
        List<Object> devices = new ArrayList<>();
        for (RunReport.DeviceSummary device : report.devices()) {
            devices.add(device(device));
        }
        root.put("devices", devices);
        root.put("jvm_and_host", report.signals().summary());
        List<Object> findings = new ArrayList<>();
        for (Finding finding : report.findings()) {
            findings.add(finding(finding));
        }
        root.put("verdict", Verdict.of(report));
        root.put("findings", findings);
        return root;
    }

    private static Map<String, Object> totals(RunTotals.Totals totals) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("steps", totals.steps());
        map.put("first_step", totals.firstStep());
        map.put("last_step", totals.lastStep());
        map.put("samples", totals.samples());
        map.put("skipped_steps", totals.skipped());
        map.put("wall_s", number(totals.wallSeconds(), 3));
        map.put("step_time_s", number(totals.stepSeconds(), 3));
        map.put("mean_step_ms", number(totals.meanStepMs(), 3));
        map.put("longest_step_ms", number(totals.longestStepMs(), 3));
        map.put("steps_per_s", number(totals.stepsPerSecond(), 2));
        map.put("samples_per_s", number(totals.samplesPerSecond(), 1));
        map.put("last_loss", number(totals.lastLoss(), 5));
        return map;
    }

    private static Map<String, Object> split(RunTotals.TimeSplit split) {
        Map<String, Object> map = new LinkedHashMap<>();
        double[] parts = {
            split.dataWait(), split.forward(), split.backward(), split.optimizer(), split.other()
        };
        String[] names = {"data_wait", "forward", "backward", "optimizer", "other"};
        for (int i = 0; i < parts.length; i++) {
            map.put(names[i] + "_s", number(parts[i], 4));
        }
        for (int i = 0; i < parts.length; i++) {
            map.put(names[i] + "_share", number(split.share(parts[i]), 4));
        }
        map.put("steps", split.steps());
        map.put("measured", split.measured());
        return map;
    }

    private static Map<String, Object> device(RunReport.DeviceSummary device) {
        StatsSnapshot s = device.stats();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("device", device.id());
        map.put("description", device.description());
        map.put("host", s.host());
        map.put("steps", s.steps());
        map.put("util_mean_percent", number(s.utilMean(), 2));
        map.put("util_min_percent", number(s.utilMin(), 2));
        map.put("util_during_wait_percent", number(s.utilDuringWait(), 2));
        map.put("low_util_steps", s.lowUtilSteps());
        map.put("memory_peak_bytes", s.memoryPeak() < 0 ? null : s.memoryPeak());
        map.put("memory_peak_step", s.memoryPeakStep() < 0 ? null : s.memoryPeakStep());
        map.put("memory_basis", s.host() ? "process" : s.memoryBasis());
        map.put("memory_capacity_bytes", s.memoryCapacity() <= 0 ? null : s.memoryCapacity());
        map.put(
                "headroom_bytes",
                s.memoryPeak() < 0 || s.memoryCapacity() <= 0
                        ? null
                        : s.memoryCapacity() - s.memoryPeak());
        if (!s.host()) {
            map.put(
                    "other_processes_memory_peak_bytes",
                    s.otherMemoryPeak() < 0 ? null : s.otherMemoryPeak());
            map.put("other_processes_sm_max_percent", number(s.otherUtilMax(), 1));
        }
        map.put("power_mean_w", number(s.powerMean(), 2));
        map.put("energy_j", number(s.energyJoules(), 3));
        map.put("energy_per_sample_j", number(device.energyPerSample(), 6));
        map.put("sm_clock_mean_mhz", number(s.smClockMhz(), 1));
        map.put("throttled_steps", s.throttledSteps());
        map.put(
                "throttle_reasons",
                ThrottleReason.decode(s.throttleMask()).stream()
                        .map(ThrottleReason::nvmlName)
                        .toList());
        return map;
    }

    /**
     * Returns a finding as a tree.
     *
     * @param finding the finding
     * @return the tree
     */
    public static Map<String, Object> finding(Finding finding) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", finding.kind().label());
        map.put("severity", finding.severity().label());
        map.put("scope", finding.scope());
        map.put("device", finding.device());
        map.put("first_step", finding.firstStep());
        map.put("last_step", finding.lastStep());
        map.put("title", finding.title());
        map.put("summary", finding.summary());
        Map<String, Object> evidence = new LinkedHashMap<>();
        finding.evidence()
                .forEach(
                        (name, value) ->
                                evidence.put(
                                        name, value instanceof Double d ? number(d, 6) : value));
        map.put("evidence", evidence);
        map.put("advice", finding.advice());
        return map;
    }

    private static Object number(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /**
     * Reads a summary back.
     *
     * @param file the file
     * @return its tree
     * @throws IOException if it cannot be read, or is not a trainsight summary (naming the file)
     */
    public static JsonNode read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(
                    file + ": cannot be read as JSON (" + JsonErrors.describe(e) + ")", e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(
                    file + " is not a trainsight summary (no \"format\": \"" + FORMAT + "\")");
        }
        return root;
    }
}
