package io.trainsight.insight.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainsight.insight.correlate.StepInsight;
import io.trainsight.trainer.log.StepLogWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Streams the insight rows of a run to {@code insight.jsonl}: one JSON object per step and device,
 * flushed after every step, so a run that dies loses at most the step in progress. A row holds
 * {@code step}, {@code device}, {@code samples}, {@code nearest}, and where known {@code
 * util_mean}, {@code util_min}, {@code util_wait} (percent), {@code mem_peak_bytes}, {@code
 * mem_capacity_bytes}, {@code power_w}, {@code energy_j}, {@code sm_clock_mhz} and {@code
 * throttle_mask}; unknown values are left out.
 */
public final class InsightLogWriter implements AutoCloseable {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "insight.jsonl";

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final OutputStream out;
    private final JsonGenerator json;

    private InsightLogWriter(Path file, StandardOpenOption mode) throws IOException {
        this.file = file;
        out =
                Files.newOutputStream(
                        file, StandardOpenOption.CREATE, mode, StandardOpenOption.WRITE);
        json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
    }

    /**
     * Creates the file, replacing an older one.
     *
     * @param file the file
     * @return the writer
     * @throws IOException if it cannot be created
     */
    public static InsightLogWriter create(Path file) throws IOException {
        return new InsightLogWriter(file, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Continues the rows of a resumed run: the rows after {@code lastStep} are dropped and new rows
     * appended.
     *
     * @param file the file
     * @param lastStep the step the run resumes after
     * @return the writer
     * @throws IOException if the file cannot be rewritten or opened
     */
    public static InsightLogWriter continuing(Path file, long lastStep) throws IOException {
        StepLogWriter.keepStepsUpTo(file, lastStep);
        return new InsightLogWriter(file, StandardOpenOption.APPEND);
    }

    /**
     * Appends the rows of one step and flushes them.
     *
     * @param insights the step's rows, one per device
     */
    public void write(List<StepInsight> insights) {
        if (insights.isEmpty()) {
            return;
        }
        try {
            for (StepInsight insight : insights) {
                json.writeStartObject();
                json.writeNumberField("step", insight.step());
                json.writeStringField("device", insight.device());
                json.writeNumberField("samples", insight.samples());
                json.writeBooleanField("nearest", insight.nearest());
                number("util_mean", insight.utilMean(), 10);
                number("util_min", insight.utilMin(), 10);
                number("util_wait", insight.utilDuringWait(), 10);
                bytes("mem_peak_bytes", insight.memoryPeak());
                bytes("mem_capacity_bytes", insight.memoryCapacity());
                number("power_w", insight.powerMean(), 100);
                number("energy_j", insight.energyJoules(), 1_000_000);
                number("sm_clock_mhz", insight.smClockMhz(), 1);
                if (insight.throttleMask() != 0) {
                    json.writeNumberField("throttle_mask", insight.throttleMask());
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot append step " + insights.get(0).step() + " to " + file, e);
        }
    }

    private void number(String name, double value, double scale) throws IOException {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            json.writeNumberField(name, Math.round(value * scale) / scale);
        }
    }

    private void bytes(String name, long value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(name, value);
        }
    }

    /**
     * Returns the file written.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            json.close();
        } finally {
            out.close();
        }
    }
}
