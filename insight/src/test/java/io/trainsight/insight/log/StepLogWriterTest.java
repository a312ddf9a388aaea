package io.trainsight.insight.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.trainsight.insight.Steps;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogWriterTest {

    private static final long ORIGIN = 1_000_000_000L;

    @TempDir Path dir;

    @Test
    void everyStepIsOneFlushedJsonLineReadableWhileTheRunGoesOn() throws IOException {
        Path file = dir.resolve(StepLogWriter.FILE_NAME);
        try (StepLogWriter writer = new StepLogWriter(file)) {
            writer.onTrainingBegin(RunStart.at(ORIGIN));
            writer.onStep(record(1, 2.5f));
            writer.onStep(record(2, 1.25f));

            // Read before close: a crash now must not lose the steps already written.
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            Map<String, String> first = parse(lines.get(0));
            assertThat(first)
                    .containsEntry("step", "1")
                    .containsEntry("epoch", "1")
                    .containsEntry("start_ms", "10.0")
                    .containsEntry("duration_ms", "4.5")
                    .containsEntry("data_wait_ms", "1.0")
                    .containsEntry("forward_ms", "1.5")
                    .containsEntry("backward_ms", "1.25")
                    .containsEntry("optimizer_ms", "0.5")
                    .containsEntry("loss", "2.5")
                    .containsEntry("samples", "32")
                    .containsEntry("micro_batches", "2")
                    .containsEntry("loss_scale", "1024.0")
                    .containsEntry("grad_norm", "3.5")
                    .containsEntry("skipped", "false");
            assertThat(parse(lines.get(1)))
                    .containsEntry("step", "2")
                    .containsEntry("loss", "1.25");
        }
    }

    @Test
    void aFullDiskNamesTheStepTheFileAndTheReason() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "Linux's /dev/full");
        Path file = Files.createSymbolicLink(dir.resolve("steps.jsonl"), Path.of("/dev/full"));
        try (StepLogWriter log = new StepLogWriter(file)) {
            log.onTrainingBegin(RunStart.at(0));
            assertThatThrownBy(() -> log.onStep(Steps.record(1, 20, 1)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("Cannot append step 1 to " + file + " (No space left on device)");
        } catch (IOException closing) {
            // closing flushes nothing more
        }
    }

    @Test
    void flushedOnRequestTheLinesReachTheFileAtTheFlush() throws IOException {
        Path file = dir.resolve(StepLogWriter.FILE_NAME);
        try (StepLogWriter writer = new StepLogWriter(file).flushOnRequest()) {
            writer.onTrainingBegin(RunStart.at(ORIGIN));
            writer.onStep(record(1, 1f));
            writer.onStep(record(2, 0.5f));
            assertThat(Files.readAllLines(file)).as("not flushed yet").isEmpty();
            writer.flush();
            assertThat(Files.readAllLines(file)).hasSize(2);
            writer.onStep(record(3, 0.25f));
            writer.flush();
            assertThat(Files.readAllLines(file)).hasSize(3);
        }
    }

    @Test
    void aFullDiskAtAFlushNamesTheStepsNotWritten() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "Linux's /dev/full");
        Path file = Files.createSymbolicLink(dir.resolve("steps.jsonl"), Path.of("/dev/full"));
        try (StepLogWriter log = new StepLogWriter(file).flushOnRequest()) {
            log.onTrainingBegin(RunStart.at(0));
            log.onStep(Steps.record(4, 20, 1));
            log.onStep(Steps.record(5, 20, 1));
            assertThatThrownBy(log::flush)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(
                            "Cannot append steps 4 to 5 to " + file + " (No space left on device)");
        } catch (IOException closing) {
            // closing flushes nothing more
        }
    }

    @Test
    void aNewRunReplacesTheOldLog() throws IOException {
        Path file = dir.resolve(StepLogWriter.FILE_NAME);
        Files.writeString(file, "old line\nold line\nold line\n");
        try (StepLogWriter writer = new StepLogWriter(file)) {
            writer.onTrainingBegin(RunStart.at(ORIGIN));
            writer.onStep(record(1, 1f));
        }
        assertThat(Files.readAllLines(file))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("{\"step\":1");
    }

    private static StepRecord record(long step, float loss) {
        long start = ORIGIN + 10_000_000L;
        return new StepRecord(
                step,
                1,
                start,
                start + 4_500_000L,
                1_000_000L,
                1_500_000L,
                1_250_000L,
                500_000L,
                loss,
                32,
                2,
                1024f,
                step == 1 ? 3.5f : Float.NaN,
                step == 2);
    }

    private static Map<String, String> parse(String line) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, parser.getText());
            }
            assertThat(parser.nextToken()).as("one object per line").isNull();
        }
        return fields;
    }
}
