package io.trainsight.cli.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what a run directory holds, for the end-to-end tests. */
final class RunFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {}

    static JsonNode summary(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve("summary.json").toFile());
    }

    static List<JsonNode> findings(Path runDir, String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode finding : summary(runDir).get("findings")) {
            if (finding.get("kind").asText().equals(kind)) {
                found.add(finding);
            }
        }
        return found;
    }

    /** The lines of steps.jsonl. */
    static List<JsonNode> steps(Path runDir) throws IOException {
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("steps.jsonl"))) {
            steps.add(JSON.readTree(line));
        }
        return steps;
    }

    /** This process's resident memory, from /proc/self/status. */
    static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
