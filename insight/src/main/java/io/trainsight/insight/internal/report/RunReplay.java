package io.trainsight.insight.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.storage.JsonErrors;
import io.trainsight.insight.log.RunLogReader;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a run's report from its directory alone: the steps, each with its samples, are streamed
 * through the same {@link InsightCollector} the run used, with the thresholds, devices, planned
 * length and ending recorded in {@code summary.json}. Without a summary (a run killed before its
 * end) the defaults are used, the devices are read off the first step, and {@code run.json} gives
 * the configuration.
 */
public final class RunReplay {

    private static final String RUN_CONFIG = "run.json";

    private RunReplay() {}

    /**
     * Reads a run directory.
     *
     * @param runDir the directory
     * @return the report
     * @throws IOException if the directory has no step log or a file cannot be read, naming it
     */
    public static RunReport read(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new IOException(runDir + " is not a directory");
        }
        if (!Files.isRegularFile(runDir.resolve(StepLogWriter.FILE_NAME))) {
            throw new IOException(
                    runDir
                            + " is not a trainsight run directory (no "
                            + StepLogWriter.FILE_NAME
                            + ")");
        }
        Path summaryFile = runDir.resolve(SummaryJson.FILE_NAME);
        JsonNode summary = Files.isRegularFile(summaryFile) ? SummaryJson.read(summaryFile) : null;
        List<String> ids = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        List<Boolean> hosts = new ArrayList<>();
        if (summary != null) {
            for (JsonNode device : summary.path("devices")) {
                ids.add(device.path("device").asText());
                descriptions.add(device.path("description").asText());
                hosts.add(device.path("host").asBoolean());
            }
        } else {
            for (StepInsight insight : firstRows(runDir)) {
                ids.add(insight.device());
                descriptions.add(insight.device());
                hosts.add(insight.device().equals("host"));
            }
        }
        Map<String, Object> configuration = configuration(runDir, summary);
        long planned = planned(summary, configuration);
        InsightCollector collector =
                new InsightCollector(
                        ids,
                        descriptions,
                        hosts,
                        thresholds(summary),
                        Advice.of(
                                summary == null
                                        ? null
                                        : summary.path("environment").path("advice").asText(null)),
                        planned,
                        finding -> {});
        collector.setOrigin(0);
        RunLogReader.read(runDir, (RunLogReader.SignalVisitor) collector::add);
        JsonNode run = summary == null ? null : summary.path("run");
        String stopReason = run == null ? null : text(run, "stop_reason");
        long failedStep = run == null ? -1 : run.path("failed_step").asLong(-1);
        String failure = run == null ? null : text(run, "failure");
        if ("OUT_OF_MEMORY".equals(stopReason) && failedStep > 0) {
            collector.onOutOfMemory(failedStep, failure);
        }
        RunReport.RunInfo info =
                new RunReport.RunInfo(
                        run == null
                                ? String.valueOf(
                                        configuration.getOrDefault("example", runDir.getFileName()))
                                : run.path("name").asText(),
                        runDir.toString(),
                        stopReason == null
                                ? (summary == null ? "UNKNOWN (no summary.json)" : null)
                                : stopReason,
                        failure,
                        failedStep,
                        planned,
                        run == null ? 0 : run.path("missed_samples").asLong());
        Map<String, Object> environment = new LinkedHashMap<>();
        String source =
                ids.isEmpty() ? RunReport.NONE : hosts.get(0) ? RunReport.HOST : RunReport.GPU;
        String sourceDescription = source;
        if (summary != null) {
            summary.path("environment")
                    .fields()
                    .forEachRemaining(
                            entry -> environment.put(entry.getKey(), value(entry.getValue())));
            source = String.valueOf(environment.remove("source"));
            sourceDescription = String.valueOf(environment.remove("source_description"));
        }
        return collector.report(info, configuration, environment, source, sourceDescription);
    }

    private static List<StepInsight> firstRows(Path runDir) throws IOException {
        List<StepInsight> first = new ArrayList<>();
        RunLogReader.read(
                runDir,
                (RunLogReader.StepVisitor)
                        (record, insights) -> {
                            if (first.isEmpty()) {
                                first.addAll(insights);
                            }
                        });
        return first;
    }

    private static DiagnosisThresholds thresholds(JsonNode summary) {
        DiagnosisThresholds.Builder builder = DiagnosisThresholds.builder();
        if (summary != null) {
            summary.path("thresholds")
                    .fields()
                    .forEachRemaining(
                            entry -> builder.set(entry.getKey(), entry.getValue().asDouble()));
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configuration(Path runDir, JsonNode summary)
            throws IOException {
        if (summary != null && summary.path("configuration").isObject()) {
            return (Map<String, Object>) value(summary.path("configuration"));
        }
        Path config = runDir.resolve(RUN_CONFIG);
        if (Files.isRegularFile(config)) {
            try {
                return SummaryJson.JSON.readValue(config.toFile(), LinkedHashMap.class);
            } catch (IOException e) {
                throw new IOException(
                        config + ": cannot be read as JSON (" + JsonErrors.describe(e) + ")", e);
            }
        }
        return new LinkedHashMap<>();
    }

    private static long planned(JsonNode summary, Map<String, Object> configuration) {
        if (summary != null && summary.path("run").path("planned_steps").isNumber()) {
            return summary.path("run").path("planned_steps").asLong();
        }
        return configuration.get("steps") instanceof Number steps ? steps.longValue() : -1;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Object value(JsonNode node) {
        return SummaryJson.JSON.convertValue(node, Object.class);
    }
}
