package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a user of trainer-core gets from the README's main: the run directory, filled. */
class TrainsAFewStepsTest {

    @Test
    void theReadmeMainWritesTheStepLogTheSummaryAndTheReport() throws Exception {
        Path runDir = Files.createTempDirectory("consumer").resolve("run");
        Train.main(new String[] {runDir.toString()});

        assertEquals(96, Files.readAllLines(runDir.resolve("steps.jsonl")).size());
        assertTrue(Files.size(runDir.resolve("report.html")) > 10_000);
        assertTrue(Files.exists(runDir.resolve("checkpoints/step-00000096.ckpt")));
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals("regression", summary.at("/run/name").asText());
        assertEquals("BUDGET", summary.at("/run/stop_reason").asText());
        assertEquals(96, summary.at("/run/planned_steps").asLong());
        assertTrue(summary.get("findings").isArray());
        assertTrue(summary.at("/verdict/samples_joined").asBoolean());
        assertEquals("host", summary.at("/environment/source").asText());
    }
}
