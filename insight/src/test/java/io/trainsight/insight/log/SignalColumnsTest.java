package io.trainsight.insight.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.internal.log.SignalColumns;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A step's JVM and host signals on its log line, and back. */
class SignalColumnsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String line(SignalColumns columns, StepSignals signals) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("step", 1);
            columns.write(json, signals);
            json.writeEndObject();
        }
        return text.toString();
    }

    @Test
    void theSignalsRoundTripAndTheSiteIsWrittenOnce() throws IOException {
        StepSignals signals =
                new StepSignals(
                        12_345_000,
                        2,
                        10_000_000,
                        "G1 Young Generation",
                        130,
                        520_000,
                        "model 'leak'",
                        "com.acme.Net.forward(Net.java:7)",
                        97.5,
                        99.0,
                        40.2,
                        3.5,
                        2,
                        2,
                        250_000_000);
        SignalColumns writer = new SignalColumns();
        String first = line(writer, signals);
        String second = line(writer, signals);

        assertThat(first)
                .isEqualTo(
                        "{\"step\":1,\"jvm\":{\"gc_ms\":12.345,\"gc_pauses\":2,\"gc_longest_ms\":10.0,\"gc_collector\":\"G1"
                            + " Young"
                            + " Generation\",\"arrays\":130,\"array_bytes\":520000,\"growing\":\"model"
                            + " 'leak'\",\"site\":\"com.acme.Net.forward(Net.java:7)\"},"
                            + "\"load\":{\"cpu\":97.5,\"cpu_wait\":99.0,\"proc_cpu\":40.2,"
                            + "\"runnable\":3.5,\"cores\":2,\"threads\":2},"
                            + "\"checkpoint_ms\":250.0}");
        assertThat(second).as("the site once").doesNotContain("site");

        SignalColumns reader = new SignalColumns();
        StepSignals back = reader.read(JSON.readTree(first));
        assertThat(back).isEqualTo(signals);
        assertThat(reader.read(JSON.readTree(second)).allocationSite())
                .as("carried to the later lines")
                .isEqualTo(signals.allocationSite());
    }

    @Test
    void aLineWithoutSignalsReadsAsNone() throws IOException {
        JsonNode old = JSON.readTree("{\"step\":3,\"duration_ms\":1.0}");
        assertThat(new SignalColumns().read(old)).isSameAs(StepSignals.NONE);
        assertThat(line(new SignalColumns(), StepSignals.NONE)).isEqualTo("{\"step\":1}");
    }
}
