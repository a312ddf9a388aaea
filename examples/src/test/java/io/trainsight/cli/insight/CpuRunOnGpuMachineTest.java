package io.trainsight.cli.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.cli.CliRun;
import io.trainsight.gpu.Settings;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the CPU of a machine whose GPUs sit idle (the fake NVML, two GPUs at 0 %): the run is
 * diagnosed on the host it trains on, and no finding names a GPU it never touched.
 */
class CpuRunOnGpuMachineTest {

    @TempDir Path tmp;

    @AfterEach
    void forgetLibrary() {
        System.clearProperty(Settings.NVML_LIBRARY_PROPERTY);
    }

    @Test
    void anInputBoundCpuRunIsDiagnosedOnTheHostNotOnTheIdleGpus() throws IOException {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(2);
        for (int d = 0; d < 2; d++) {
            fake.set(d, "util_gpu", 0).set(d, "mem_total", 80L << 30).set(d, "mem_used", 1L << 30);
        }
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, fake.path().toString());
        Path out = tmp.resolve("cpu-run");

        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "io-bound",
                        "--device",
                        "cpu",
                        "--steps",
                        "40",
                        "--workers",
                        "0",
                        "--out",
                        out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = RunFiles.summary(out);
        for (JsonNode finding : summary.get("findings")) {
            assertThat(finding.get("device").asText())
                    .as("finding %s", finding.get("kind"))
                    .doesNotStartWith("gpu");
        }
        assertThat(RunFiles.findings(out, "input-bound"))
                .as("the run is input-bound, on the host")
                .singleElement()
                .satisfies(f -> assertThat(f.get("device").asText()).isEqualTo("host"));
        assertThat(summary.at("/environment/source").asText()).isEqualTo("host");
        assertThat(summary.at("/environment/gpus/0/role").asText())
                .as("the idle GPUs are context only")
                .isEqualTo("context");
        assertThat(run.out()).doesNotContain("on gpu0").doesNotContain("on gpu1");
        assertThat(RunFiles.steps(out))
                .allSatisfy(s -> assertThat(s.get("phase_timing").asText()).isEqualTo("host"));
        assertThat(summary.at("/time_split/measured").asText())
                .isEqualTo("host time of every step (the work ran on the host)");
        assertThat(run.out())
                .contains("split measured as host time of every step (the work ran on the host)");
    }
}
