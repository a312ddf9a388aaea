package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged application as a user does, in a child JVM: through {@code java -jar} on the
 * built jar and through the {@code ./trainsight} launcher at the repository root.
 */
class TrainJarIT {

    private static final Path JAR = Paths.get("target", "trainsight.jar").toAbsolutePath();
    private static final Path LAUNCHER = Paths.get("..", "trainsight").toAbsolutePath().normalize();

    @TempDir Path tmp;

    @Test
    void javaJarTrainsTheMlpAsTheReadmeSays() throws Exception {
        Path out = tmp.resolve("run");
        Commands.Result run =
                run(
                        javaJar(
                                "train",
                                "--example",
                                "mlp",
                                "--steps",
                                "200",
                                "--out",
                                out.toString()));

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("steps.jsonl"));
        assertThat(lines).hasSize(200);
        assertThat(meanLoss(lines.subList(150, 200)))
                .as("last-50 mean loss vs first-50")
                .isLessThan(meanLoss(lines.subList(0, 50)) * 0.6);
        assertThat(run.out()).contains("Trained mlp: 200 steps").contains("held-out  accuracy");
        // One INFO line about the engine; DJL's CUDA warnings do not reach the user. The only
        // warnings are the run's own findings (on a loaded machine the mlp's inline batches can
        // make it input-bound).
        assertThat(run.err())
                .containsOnlyOnce("PyTorch 2.7.1 engine (DJL 0.36.0) training on ")
                .doesNotContain("CudaUtils");
        assertThat(run.err().lines().filter(line -> line.contains("WARN")))
                .allMatch(line -> line.contains("WARN  RunInsight - "));
    }

    @Test
    void badInputExitsWith2AndOneLine() throws Exception {
        Path out = tmp.resolve("never");
        Commands.Result run =
                run(
                        javaJar(
                                "train",
                                "--example",
                                "mlp",
                                "--batch-size",
                                "-4",
                                "--out",
                                out.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines())
                .containsExactly(
                        "trainsight train: --batch-size must be a positive number of samples, got"
                                + " -4 (see 'trainsight train --help')");
        assertThat(out).doesNotExist();
    }

    @Test
    void theLauncherRunsTheSameApplication() throws Exception {
        Commands.Result version = run(List.of(LAUNCHER.toString(), "--version"));
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("trainsight 0.1.0");

        Path out = tmp.resolve("launched");
        Commands.Result run =
                run(
                        List.of(
                                LAUNCHER.toString(),
                                "train",
                                "--example",
                                "mlp",
                                "--steps",
                                "20",
                                "--out",
                                out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("steps.jsonl"))).hasSize(20);
    }

    private static List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return command;
    }

    private static Commands.Result run(List<String> command)
            throws IOException, InterruptedException {
        return Commands.run(command, null, Duration.ofMinutes(5));
    }

    private static double meanLoss(List<String> lines) {
        return lines.stream()
                .mapToDouble(
                        line -> {
                            int at = line.indexOf("\"loss\":") + 7;
                            return Double.parseDouble(line.substring(at, line.indexOf(',', at)));
                        })
                .average()
                .orElseThrow();
    }
}
