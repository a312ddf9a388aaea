package io.trainsight.insight.internal.log;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.insight.internal.correlate.StepSignals;
import java.io.IOException;

/**
 * Writes a step's {@link StepSignals} into its line of {@code steps.jsonl} and reads them back:
 * {@code jvm} ({@code gc_ms}, and where there were pauses {@code gc_pauses}, {@code gc_longest_ms},
 * {@code gc_collector}; {@code arrays} and {@code array_bytes} on steps after which the live
 * NDArrays were counted, {@code growing} when a manager's arrays grew, {@code site} on the line
 * where a sampled allocation site is first known), {@code load} ({@code cpu}, {@code cpu_wait},
 * {@code proc_cpu} in percent of all cores, {@code runnable}, {@code cores}, {@code threads}) and
 * {@code checkpoint_ms}. Unknown values are left out. One writer per step log (it remembers the
 * last site written); one reader per file.
 */
public final class SignalColumns {

    /** The field of the JVM's signals. */
    public static final String JVM = "jvm";

    /** The field of the host's load. */
    public static final String LOAD = "load";

    private String lastSite;

    /**
     * Writes the fields of a step; nothing when nothing is known.
     *
     * @param json the line's generator, inside the step's object
     * @param s the step's signals
     * @throws IOException if writing fails
     */
    public void write(JsonGenerator json, StepSignals s) throws IOException {
        boolean site = s.allocationSite() != null && !s.allocationSite().equals(lastSite);
        if (s.hasGc() || s.hasArrays() || site) {
            json.writeObjectFieldStart(JVM);
            if (s.hasGc()) {
                json.writeNumberField("gc_ms", millis(s.gcPauseNanos()));
                if (s.gcPauses() > 0) {
                    json.writeNumberField("gc_pauses", s.gcPauses());
                    json.writeNumberField("gc_longest_ms", millis(s.gcLongestNanos()));
                    if (s.gcCollector() != null) {
                        json.writeStringField("gc_collector", s.gcCollector());
                    }
                }
            }
            if (s.hasArrays()) {
                json.writeNumberField("arrays", s.liveArrays());
                json.writeNumberField("array_bytes", s.liveBytes());
                if (s.growingManager() != null) {
                    json.writeStringField("growing", s.growingManager());
                }
            }
            if (site) {
                json.writeStringField("site", s.allocationSite());
                lastSite = s.allocationSite();
            }
            json.writeEndObject();
        }
        if (!Double.isNaN(s.systemCpu()) || !Double.isNaN(s.runnableThreads())) {
            json.writeObjectFieldStart(LOAD);
            number(json, "cpu", s.systemCpu());
            number(json, "cpu_wait", s.systemCpuDuringWait());
            number(json, "proc_cpu", s.processCpu());
            number(json, "runnable", s.runnableThreads());
            json.writeNumberField("cores", s.cores());
            json.writeNumberField("threads", s.threads());
            json.writeEndObject();
        }
        if (s.checkpointNanos() > 0) {
            json.writeNumberField("checkpoint_ms", millis(s.checkpointNanos()));
        }
    }

    /**
     * Reads a step's signals back from its line.
     *
     * @param step the line
     * @return the signals, {@link StepSignals#NONE} when the line has none
     */
    public StepSignals read(JsonNode step) {
        JsonNode jvm = step.path(JVM);
        JsonNode load = step.path(LOAD);
        JsonNode checkpoint = step.get("checkpoint_ms");
        if (jvm.isMissingNode() && load.isMissingNode() && checkpoint == null) {
            return StepSignals.NONE;
        }
        if (jvm.hasNonNull("site")) {
            lastSite = jvm.get("site").asText();
        }
        boolean gc = jvm.has("gc_ms");
        boolean arrays = jvm.has("arrays");
        return new StepSignals(
                gc ? nanos(jvm.get("gc_ms")) : -1,
                jvm.path("gc_pauses").asInt(0),
                gc ? nanos(jvm.path("gc_longest_ms")) : -1,
                jvm.hasNonNull("gc_collector") ? jvm.get("gc_collector").asText() : null,
                arrays ? jvm.get("arrays").asLong() : -1,
                arrays ? jvm.path("array_bytes").asLong(-1) : -1,
                jvm.hasNonNull("growing") ? jvm.get("growing").asText() : null,
                lastSite,
                real(load, "cpu"),
                real(load, "cpu_wait"),
                real(load, "proc_cpu"),
                real(load, "runnable"),
                load.path("cores").asInt(0),
                load.path("threads").asInt(0),
                checkpoint == null ? 0 : nanos(checkpoint));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    private static long nanos(JsonNode millis) {
        return millis.isNumber() ? Math.round(millis.asDouble() * 1e6) : 0;
    }

    private static void number(JsonGenerator json, String name, double value) throws IOException {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            json.writeNumberField(name, Math.round(value * 10) / 10.0);
        }
    }

    private static double real(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }
}
