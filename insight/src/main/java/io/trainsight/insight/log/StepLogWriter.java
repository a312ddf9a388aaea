package io.trainsight.insight.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.trainsight.insight.internal.storage.AtomicFiles;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams one JSON object per step to a JSON Lines file ({@code steps.jsonl}), flushed after every
 * line, so a run that dies loses at most the step in progress. A writer fed by a thread of its own,
 * as the insight's, can flush once per batch of steps instead ({@link #flushOnRequest()}): a write
 * to the file per batch rather than per step.
 *
 * <p>Each line holds {@code step}, {@code epoch}, {@code start_ms} (from the run's origin), {@code
 * duration_ms}, {@code data_wait_ms}, {@code phase_timing} (how the phases were measured: {@code
 * host}, {@code device} or {@code none}), {@code forward_ms}, {@code backward_ms} and {@code
 * optimizer_ms} (left out when {@code none}), {@code loss}, {@code samples}, {@code micro_batches},
 * {@code loss_scale}, {@code grad_norm} (when computed) and {@code skipped}, then the fields of the
 * {@link StepColumns} added (the insight adds {@code devices}). A loss or gradient norm that is not
 * finite (an overflowed mixed-precision step, a diverged run) is {@code null}, as in summary.json.
 */
public final class StepLogWriter implements StepListener, AutoCloseable {

    /** The file name of the step log inside a run directory. */
    public static final String FILE_NAME = "steps.jsonl";

    /** Numbers written with Jackson's shortest-digits writer, not through a String each. */
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static final double NANOS_PER_MILLI = 1e6;
    private static final Pattern STEP = Pattern.compile("\\{\"step\":(\\d+),");

    private final Path file;
    private final OutputStream out;
    private final JsonGenerator json;
    private final List<StepColumns> columns = new ArrayList<>();
    private long originNanos;
    private boolean flushEachLine = true;

    /** The first and last steps written since the last flush; 0 when none. */
    private long firstUnflushed;

    private long lastUnflushed;

    /**
     * Creates the file, replacing an older one.
     *
     * @param file the JSON Lines file to write
     * @throws IOException if the file cannot be created
     */
    public StepLogWriter(Path file) throws IOException {
        this(file, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private StepLogWriter(Path file, StandardOpenOption mode) throws IOException {
        this.file = file;
        out =
                Files.newOutputStream(
                        file, StandardOpenOption.CREATE, mode, StandardOpenOption.WRITE);
        json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
    }

    /**
     * Continues the log of a resumed run: the lines of steps after {@code lastStep} (written after
     * the checkpoint the run resumes from) are dropped, atomically, and new steps are appended.
     *
     * @param file the JSON Lines file of the run
     * @param lastStep the step of the checkpoint the run resumes from
     * @return a writer appending to the file
     * @throws IOException if the file cannot be rewritten or opened
     */
    public static StepLogWriter continuing(Path file, long lastStep) throws IOException {
        keepStepsUpTo(file, lastStep);
        return new StepLogWriter(file, StandardOpenOption.APPEND);
    }

    /**
     * Drops, atomically, the lines of a JSON Lines file that belong to steps after {@code
     * lastStep}: lines that start with {@code {"step":N,} and N greater than it.
     */
    private static void keepStepsUpTo(Path file, long lastStep) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher matcher = STEP.matcher(line);
            if (matcher.lookingAt() && Long.parseLong(matcher.group(1)) <= lastStep) {
                kept.add(line);
            }
        }
        AtomicFiles.write(
                file,
                out -> {
                    for (String line : kept) {
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    }
                });
    }

    /**
     * Adds fields to every line, written after the step's own; add before training starts.
     *
     * @param more the fields' writer
     * @return this writer
     */
    public StepLogWriter addColumns(StepColumns more) {
        columns.add(more);
        return this;
    }

    /**
     * Flushes only when {@link #flush()} is called, not after every line; for a caller that flushes
     * after each batch of steps it writes.
     *
     * @return this writer
     */
    public StepLogWriter flushOnRequest() {
        flushEachLine = false;
        return this;
    }

    /**
     * Hands the lines written since the last flush to the file.
     *
     * @throws UncheckedIOException if they cannot be written, naming their steps, the file and the
     *     reason
     */
    public void flush() {
        if (firstUnflushed == 0) {
            return;
        }
        try {
            json.flush();
        } catch (IOException e) {
            throw cannotAppend(
                    firstUnflushed == lastUnflushed
                            ? "step " + firstUnflushed
                            : "steps " + firstUnflushed + " to " + lastUnflushed,
                    e);
        }
        firstUnflushed = 0;
    }

    /** Returns the file this writer appends to. */
    public Path getFile() {
        return file;
    }

    @Override
    public void onTrainingBegin(RunStart start) {
        this.originNanos = start.originNanos();
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
            json.writeStringField("phase_timing", record.phaseTiming().label());
            if (record.phasesTimed()) {
                json.writeNumberField("forward_ms", millis(record.forwardNanos()));
                json.writeNumberField("backward_ms", millis(record.backwardNanos()));
                json.writeNumberField("optimizer_ms", millis(record.optimizerNanos()));
            }
            writeFinite("loss", record.loss());
            json.writeNumberField("samples", record.samples());
            json.writeNumberField("micro_batches", record.microBatches());
            writeFinite("loss_scale", record.lossScale());
            if (!Float.isNaN(record.gradNorm())) {
                writeFinite("grad_norm", record.gradNorm());
            }
            json.writeBooleanField("skipped", record.skipped());
            for (StepColumns more : columns) {
                more.write(record, json);
            }
            json.writeEndObject();
            json.writeRaw('\n');
            if (flushEachLine) {
                json.flush();
            } else {
                if (firstUnflushed == 0) {
                    firstUnflushed = record.step();
                }
                lastUnflushed = record.step();
            }
        } catch (IOException e) {
            throw cannotAppend("step " + record.step(), e);
        }
    }

    private UncheckedIOException cannotAppend(String steps, IOException e) {
        return new UncheckedIOException(
                "Cannot append " + steps + " to " + file + " (" + e.getMessage() + ")", e);
    }

    /** JSON has no inf or NaN: a value that is not finite is written as null. */
    private void writeFinite(String name, float value) throws IOException {
        if (Float.isFinite(value)) {
            json.writeNumberField(name, value);
        } else {
            json.writeNullField(name);
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
