package io.trainsight.trainer.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainsight.trainer.StepListener;
import io.trainsight.trainer.timeline.StepRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams one JSON object per step to a JSON Lines file ({@code steps.jsonl}), flushed after every
 * line, so a run that dies loses at most the step in progress.
 *
 * <p>Each line holds {@code step}, {@code epoch}, {@code start_ms} (from the run's origin), {@code
 * duration_ms}, {@code data_wait_ms}, {@code forward_ms}, {@code backward_ms}, {@code
 * optimizer_ms}, {@code loss}, {@code samples}, {@code micro_batches}, {@code loss_scale}, {@code
 * grad_norm} (when computed) and {@code skipped}.
 */
public final class StepLogWriter implements StepListener, AutoCloseable {

    /** The file name of the step log inside a run directory. */
    public static final String FILE_NAME = "steps.jsonl";

    private static final JsonFactory JSON = new JsonFactory();
    private static final double NANOS_PER_MILLI = 1e6;

    private final Path file;
    private final OutputStream out;
    private final JsonGenerator json;
    private long originNanos;

    /**
     * Creates the file, replacing an older one.
     *
     * @param file the JSON Lines file to write
     * @throws IOException if the file cannot be created
     */
    public StepLogWriter(Path file) throws IOException {
        this.file = file;
        out =
                Files.newOutputStream(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
        json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
    }

    /** Returns the file this writer appends to. */
    public Path getFile() {
        return file;
    }

    @Override
    public void onTrainingBegin(long originNanos) {
        this.originNanos = originNanos;
    }

    @Override
    public void onStep(StepRecord record) {
        try {
            json.writeStartObject();
            json.writeNumberField("step", record.step());
            json.writeNumberField("epoch", record.epoch());
            json.writeNumberField("start_ms", millis(record.startNanos() - originNanos));
            json.writeNumberField("duration_ms", millis(record.durationNanos()));
            json.writeNumberField("data_wait_ms", millis(record.dataWaitNanos()));
            json.writeNumberField("forward_ms", millis(record.forwardNanos()));
            json.writeNumberField("backward_ms", millis(record.backwardNanos()));
            json.writeNumberField("optimizer_ms", millis(record.optimizerNanos()));
            json.writeNumberField("loss", record.loss());
            json.writeNumberField("samples", record.samples());
            json.writeNumberField("micro_batches", record.microBatches());
            json.writeNumberField("loss_scale", record.lossScale());
            if (!Float.isNaN(record.gradNorm())) {
                json.writeNumberField("grad_norm", record.gradNorm());
            }
            json.writeBooleanField("skipped", record.skipped());
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot append step " + record.step() + " to " + file, e);
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / NANOS_PER_MILLI * 1000) / 1000.0;
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
