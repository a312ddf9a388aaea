package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.cli.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's most common leak, reproduced through the command line with a known answer: the job that
 * keeps every step's outputs attached to the model's manager gets the ndarray-leak finding (naming
 * that manager and the code that keeps them); the same job closing them does not. The OOM trend
 * that follows is checked in a fresh JVM ({@code JvmFindingsIT}): in this long-lived test JVM the
 * allocator hands out memory that earlier tests freed, so resident memory hides the growth.
 */
class LeakExampleTest {

    @TempDir Path tmp;

    private static long raisedAt(JsonNode finding) {
        JsonNode live = finding.at("/evidence/first_raised_live_at_step");
        return live.isMissingNode()
                ? finding.at("/evidence/raised_at_step").asLong()
                : live.asLong();
    }

    @Test
    void keepingEveryStepsOutputsIsALeak() throws IOException {
        Path out = tmp.resolve("leak");
        CliRun run =
                CliRun.of("train", "--example", "leak", "--steps", "300", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> leaks = RunFiles.findings(out, "ndarray-leak");
        assertThat(leaks).hasSize(1);
        JsonNode leak = leaks.get(0);
        assertThat(leak.at("/device").asText()).isEqualTo("jvm");
        assertThat(leak.at("/evidence/arrays_per_step").asDouble())
                .as("the copies of three layer outputs a step")
                .isEqualTo(3.0);
        assertThat(leak.at("/evidence/trend_r2").asDouble()).isGreaterThan(0.99);
        assertThat(leak.at("/evidence/growing_manager").asText()).isEqualTo("model 'leak'");
        assertThat(leak.at("/evidence/allocation_site").asText())
                .as("the line that keeps the copies, for every sampled survivor")
                .matches(
                        "io\\.trainsight\\.examples\\.leak\\.KeepingMlp\\.keep\\(KeepingMlp\\.java:\\d+\\)"
                            + " \\((\\d+) of \\1\\)");
        assertThat(leak.at("/evidence/bytes_per_step").asLong())
                .as("two 32x512 float activations and the logits")
                .isEqualTo(2 * 32 * 512 * 4 + 32 * 8 * 4);
        assertThat(run.out()).contains("NDArrays leaking on jvm").contains("model 'leak'");
        assertThat(RunFiles.summary(out).at("/environment/ndarray_census").asText())
                .isEqualTo("on");
    }

    @Test
    void theSameJobClosingItsOutputsHasNoLeak() throws IOException {
        Path out = tmp.resolve("fixed");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "leak-fixed",
                        "--steps",
                        "200",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RunFiles.findings(out, "ndarray-leak")).isEmpty();
        JsonNode figures = RunFiles.summary(out).get("jvm_and_host");
        assertThat(figures.get("live_arrays_last").asLong())
                .as("the parameters, the optimizer's state and one step's copies")
                .isEqualTo(figures.get("live_arrays_first").asLong());
        assertThat(figures.get("live_arrays_peak").asLong())
                .isEqualTo(figures.get("live_arrays_first").asLong());
        assertThat(run.out()).doesNotContain("NDArrays leaking");
    }
}
