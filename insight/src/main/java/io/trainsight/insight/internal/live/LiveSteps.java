package io.trainsight.insight.internal.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The latest steps of a running run, for {@code /steps?since=N}: a fixed ring of primitive columns
 * (step, time, data wait, loss, and per device utilisation, memory, capacity, power). The training
 * thread adds; HTTP threads read; both under this object's lock, held for a copy only.
 */
public final class LiveSteps {

    private final int capacity;
    private final int devices;
    private final long[] step;
    private final double[] millis;
    private final double[] wait;
    private final double[] loss;
    private final double[][] values;
    private long added;

    /**
     * Creates the ring.
     *
     * @param capacity the steps kept
     * @param devices the devices in each step's insights
     */
    public LiveSteps(int capacity, int devices) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.devices = devices;
        step = new long[capacity];
        millis = new double[capacity];
        wait = new double[capacity];
        loss = new double[capacity];
        values = new double[devices * 5][capacity];
    }

    /**
     * Adds a step.
     *
     * @param record the step
     * @param insights its rows, one per device, or empty
     */
    public synchronized void add(StepRecord record, List<StepInsight> insights) {
        int slot = (int) (added % capacity);
        step[slot] = record.step();
        millis[slot] = record.durationNanos() / 1e6;
        wait[slot] = record.dataWaitNanos() / 1e6;
        loss[slot] = record.loss();
        for (int d = 0; d < devices; d++) {
            StepInsight insight = d < insights.size() ? insights.get(d) : null;
            values[5 * d][slot] = insight == null ? Double.NaN : insight.utilMean();
            values[5 * d + 1][slot] = insight == null ? Double.NaN : insight.utilMin();
            values[5 * d + 2][slot] =
                    insight == null || insight.memoryPeak() < 0 ? Double.NaN : insight.memoryPeak();
            values[5 * d + 3][slot] =
                    insight == null || insight.memoryCapacity() <= 0
                            ? Double.NaN
                            : insight.memoryCapacity();
            values[5 * d + 4][slot] = insight == null ? Double.NaN : insight.powerMean();
        }
        added++;
    }

    /**
     * Writes the steps after {@code since} that are still kept, as the {@code steps} array and the
     * {@code next} and {@code dropped} fields of an open JSON object.
     *
     * @param since the last step the client has (0 for all)
     * @param json the generator, inside an object
     * @throws IOException if writing fails
     */
    public synchronized void write(long since, JsonGenerator json) throws IOException {
        long oldest = Math.max(0, added - capacity);
        long first = oldest;
        while (first < added && step[(int) (first % capacity)] <= since) {
            first++;
        }
        long dropped = 0;
        if (first == oldest && added > 0 && step[(int) (oldest % capacity)] > since + 1) {
            dropped = step[(int) (oldest % capacity)] - since - 1;
        }
        json.writeArrayFieldStart("steps");
        long next = since;
        for (long i = first; i < added; i++) {
            int slot = (int) (i % capacity);
            json.writeStartObject();
            json.writeNumberField("step", step[slot]);
            number(json, "ms", millis[slot], 1000);
            number(json, "wait", wait[slot], 1000);
            number(json, "loss", loss[slot], 100000);
            json.writeArrayFieldStart("d");
            for (int d = 0; d < devices; d++) {
                json.writeStartObject();
                number(json, "u", values[5 * d][slot], 10);
                number(json, "um", values[5 * d + 1][slot], 10);
                number(json, "m", values[5 * d + 2][slot] / (1 << 20), 10);
                number(json, "c", values[5 * d + 3][slot] / (1 << 20), 10);
                number(json, "p", values[5 * d + 4][slot], 10);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            next = step[slot];
        }
        json.writeEndArray();
        json.writeNumberField("next", next);
        json.writeNumberField("dropped", dropped);
    }

    /**
     * Returns the steps after {@code since} as a JSON object of its own.
     *
     * @param since the last step the client has
     * @return {@code {"steps":[...],"next":N,"dropped":K}}
     */
    public String json(long since) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            write(since, json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void number(JsonGenerator json, String name, double value, double scale)
            throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, Math.round(value * scale) / scale);
        }
    }
}
