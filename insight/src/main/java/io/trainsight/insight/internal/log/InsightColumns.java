package io.trainsight.insight.internal.log;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainsight.insight.internal.correlate.StepInsight;
import java.io.IOException;
import java.util.List;

/**
 * Writes a step's insight into its line of {@code steps.jsonl}, as the field {@code devices}: one
 * object per device with {@code device} ({@code gpu0}… or {@code host}), {@code samples}, {@code
 * nearest}, and where known {@code util_mean}, {@code util_min}, {@code util_wait} (percent),
 * {@code mem_peak_bytes}, {@code mem_basis} ({@code process}: the run's own memory; {@code device}:
 * the GPU's device-wide used memory, where the run's PID is not among its processes), {@code
 * mem_capacity_bytes} (usable), {@code other_mem_bytes} and {@code other_util} (other processes on
 * the GPU), {@code power_w}, {@code energy_j}, {@code sm_clock_mhz} and {@code throttle_mask};
 * unknown values are left out. One line and one write per step for the step and its samples
 * together.
 */
public final class InsightColumns {

    /** The field name on the step's line. */
    public static final String FIELD = "devices";

    private InsightColumns() {}

    /**
     * Writes the {@code devices} field.
     *
     * @param json the line's generator, inside the step's object
     * @param insights the step's insights, one per device; nothing is written when empty
     * @throws IOException if writing fails
     */
    public static void write(JsonGenerator json, List<StepInsight> insights) throws IOException {
        if (insights.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(FIELD);
        for (StepInsight insight : insights) {
            json.writeStartObject();
            json.writeStringField("device", insight.device());
            json.writeNumberField("samples", insight.samples());
            json.writeBooleanField("nearest", insight.nearest());
            number(json, "util_mean", insight.utilMean(), 10);
            number(json, "util_min", insight.utilMin(), 10);
            number(json, "util_wait", insight.utilDuringWait(), 10);
            bytes(json, "mem_peak_bytes", insight.memoryPeak());
            if (insight.memoryPeak() >= 0) {
                json.writeStringField("mem_basis", insight.processMemory() ? "process" : "device");
            }
            bytes(json, "mem_capacity_bytes", insight.memoryCapacity());
            bytes(json, "other_mem_bytes", insight.otherMemoryPeak());
            number(json, "other_util", insight.otherUtil(), 10);
            number(json, "power_w", insight.powerMean(), 100);
            number(json, "energy_j", insight.energyJoules(), 1_000_000);
            number(json, "sm_clock_mhz", insight.smClockMhz(), 1);
            if (insight.throttleMask() != 0) {
                json.writeNumberField("throttle_mask", insight.throttleMask());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void number(JsonGenerator json, String name, double value, double scale)
            throws IOException {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            json.writeNumberField(name, Math.round(value * scale) / scale);
        }
    }

    private static void bytes(JsonGenerator json, String name, long value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(name, value);
        }
    }
}
