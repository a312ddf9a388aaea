package io.trainsight.insight.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.internal.log.InsightColumns;
import io.trainsight.insight.internal.log.SignalColumns;
import io.trainsight.insight.timeline.PhaseTiming;
import io.trainsight.insight.timeline.StepRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run directory's step log ({@code steps.jsonl}) back as {@link StepRecord}s with their
 * {@link StepInsight}s (the {@code devices} field of each line), streaming: one step in memory at a
 * time. Times come back relative to the run's origin ({@code start_ms}), at the microsecond
 * precision of the files. A last line cut short by a crash is skipped.
 */
public final class RunLogReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NANOS_PER_MICRO = 1000;

    /** Receives one step. */
    @FunctionalInterface
    public interface StepVisitor {
        /**
         * Takes one step.
         *
         * @param record the step
         * @param insights its rows, one per device; empty when the run had no monitor
         */
        void visit(StepRecord record, List<StepInsight> insights);
    }

    /** Receives one step with its JVM and host signals. */
    @FunctionalInterface
    public interface SignalVisitor {
        /**
         * Takes one step.
         *
         * @param record the step
         * @param insights its rows, one per device; empty when the run had no monitor
         * @param signals its GC pauses, live arrays and host load ({@link StepSignals#NONE} for a
         *     log written before they were recorded)
         */
        void visit(StepRecord record, List<StepInsight> insights, StepSignals signals);
    }

    private RunLogReader() {}

    /**
     * Reads every step of a run directory in order.
     *
     * @param runDir the run directory
     * @param visitor receives each step
     * @return the number of steps read
     * @throws IOException if {@code steps.jsonl} is missing or a line other than the last is not a
     *     step, naming the file and line
     */
    public static long read(Path runDir, StepVisitor visitor) throws IOException {
        return read(runDir, (record, insights, signals) -> visitor.visit(record, insights));
    }

    /**
     * Reads every step of a run directory in order, with its JVM and host signals.
     *
     * @param runDir the run directory
     * @param visitor receives each step
     * @return the number of steps read
     * @throws IOException if {@code steps.jsonl} is missing or a line other than the last is not a
     *     step, naming the file and line
     */
    public static long read(Path runDir, SignalVisitor visitor) throws IOException {
        Path steps = runDir.resolve(StepLogWriter.FILE_NAME);
        if (!Files.isRegularFile(steps)) {
            throw new IOException(runDir + " has no " + StepLogWriter.FILE_NAME);
        }
        long count = 0;
        SignalColumns signals = new SignalColumns();
        try (BufferedReader reader = Files.newBufferedReader(steps, StandardCharsets.UTF_8)) {
            Lines lines = new Lines(steps, reader);
            JsonNode step;
            while ((step = lines.next()) != null) {
                StepRecord record = record(step);
                List<StepInsight> insights = new ArrayList<>(1);
                for (JsonNode device : step.path(InsightColumns.FIELD)) {
                    insights.add(insight(record.step(), device));
                }
                visitor.visit(record, insights, signals.read(step));
                count++;
            }
        }
        return count;
    }

    private static StepRecord record(JsonNode step) {
        long start = micros(step, "start_ms");
        long duration = micros(step, "duration_ms");
        JsonNode norm = step.get("grad_norm");
        return new StepRecord(
                step.path("step").asLong(),
                step.path("epoch").asInt(1),
                start,
                start + duration,
                micros(step, "data_wait_ms"),
                micros(step, "forward_ms"),
                micros(step, "backward_ms"),
                micros(step, "optimizer_ms"),
                (float) step.path("loss").asDouble(Double.NaN),
                step.path("samples").asInt(),
                step.path("micro_batches").asInt(1),
                (float) step.path("loss_scale").asDouble(1),
                norm == null ? Float.NaN : (float) norm.asDouble(),
                step.path("skipped").asBoolean(false),
                PhaseTiming.of(step.path("phase_timing").asText(null)));
    }

    private static long micros(JsonNode node, String field) {
        return Math.round(node.path(field).asDouble() * 1000) * NANOS_PER_MICRO;
    }

    private static StepInsight insight(long step, JsonNode row) {
        return new StepInsight(
                step,
                row.path("device").asText("?"),
                row.path("samples").asInt(),
                row.path("nearest").asBoolean(),
                real(row, "util_mean"),
                real(row, "util_min"),
                real(row, "util_wait"),
                row.path("mem_peak_bytes").asLong(-1),
                row.path("mem_capacity_bytes").asLong(-1),
                real(row, "power_w"),
                real(row, "energy_j"),
                real(row, "sm_clock_mhz"),
                row.path("throttle_mask").asLong(0),
                row.path("other_mem_bytes").asLong(-1),
                real(row, "other_util"),
                !"device".equals(row.path("mem_basis").asText("process")));
    }

    private static double real(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }

    /** The lines of the step log as JSON objects. */
    private static final class Lines {
        private final Path file;
        private final BufferedReader reader;
        private long number;

        Lines(Path file, BufferedReader reader) {
            this.file = file;
            this.reader = reader;
        }

        JsonNode next() throws IOException {
            return read();
        }

        private JsonNode read() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.isObject() && node.has("step")) {
                        return node;
                    }
                } catch (IOException e) {
                    // a last line cut short by a crash is skipped below
                }
                reader.mark(1);
                if (reader.read() < 0) {
                    return null; // the last line, cut short
                }
                throw new IOException(
                        file + ": line " + number + " is not a step of a trainsight step log");
            }
            return null;
        }
    }
}
