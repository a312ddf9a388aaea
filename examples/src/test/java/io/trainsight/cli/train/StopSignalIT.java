package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops a training JVM the way Kubernetes and Ctrl-C do, with SIGTERM and SIGINT, during a run with
 * the default options (checkpoints only at the end): the run saves its last step, its step log, its
 * summary and report, says how to continue, exits 143 or 130, and the resumed run has the losses of
 * an uninterrupted one.
 */
class StopSignalIT {

    private static final Path JAR = Paths.get("target", "trainsight.jar").toAbsolutePath();
    private static final int STEPS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void sigtermSavesTheLastStepAndTheResumedRunMatchesAnUninterruptedOne() throws Exception {
        Path whole = tmp.resolve("whole");
        assertThat(train(whole).waitFor()).isZero();

        Path stopped = tmp.resolve("stopped");
        Process victim = train(stopped);
        awaitSteps(victim, stopped, 100);
        victim.destroy(); // SIGTERM on Linux
        assertThat(victim.waitFor(2, TimeUnit.MINUTES)).as("it stopped").isTrue();
        assertThat(victim.exitValue()).as("128 + SIGTERM").isEqualTo(143);

        long saved = lines(stopped.resolve("steps.jsonl"));
        assertThat(saved).as("stopped mid-run").isBetween(100L, STEPS - 1L);
        Path checkpoint =
                stopped.resolve("checkpoints").resolve(String.format("step-%08d.ckpt", saved));
        assertThat(Checkpointer.list(stopped.resolve("checkpoints")))
                .as("the last logged step is saved")
                .containsExactly(checkpoint);
        JsonNode summary = JSON.readTree(stopped.resolve("summary.json").toFile());
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("INTERRUPTED");
        assertThat(stopped.resolve("report.html")).isNotEmptyFile();
        assertThat(stderrOf(stopped))
                .contains(
                        "stopped by SIGTERM after step "
                                + saved
                                + ", saved in "
                                + checkpoint
                                + "; continue with: trainsight train --resume "
                                + stopped);

        Process resumed = java(stopped, "train", "--resume", stopped.toString());
        assertThat(resumed.waitFor()).as("the resumed run").isZero();
        assertThat(losses(stopped.resolve("steps.jsonl")))
                .hasSize(STEPS)
                .isEqualTo(losses(whole.resolve("steps.jsonl")));
    }

    @Test
    void sigintStopsTheRunTheSameWayWithExitCode130() throws Exception {
        Path stopped = tmp.resolve("ctrl-c");
        Process victim = train(stopped);
        awaitSteps(victim, stopped, 20);
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(victim.pid())).start();
        assertThat(kill.waitFor()).isZero();
        assertThat(victim.waitFor(2, TimeUnit.MINUTES)).as("it stopped").isTrue();
        assertThat(victim.exitValue()).as("128 + SIGINT").isEqualTo(130);

        long saved = lines(stopped.resolve("steps.jsonl"));
        assertThat(Checkpointer.latest(stopped.resolve("checkpoints")))
                .hasValue(
                        stopped.resolve("checkpoints")
                                .resolve(String.format("step-%08d.ckpt", saved)));
        assertThat(
                        JSON.readTree(stopped.resolve("summary.json").toFile())
                                .at("/run/stop_reason")
                                .asText())
                .isEqualTo("INTERRUPTED");
        assertThat(stderrOf(stopped)).contains("stopped by SIGINT after step " + saved);
    }

    private void awaitSteps(Process victim, Path run, long steps) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (lines(run.resolve("steps.jsonl")) < steps) {
            assertThat(victim.isAlive()).as("the run ended before it could be stopped").isTrue();
            assertThat(System.nanoTime()).as("the run is too slow").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private Process train(Path out) throws IOException {
        return java(
                out,
                "train",
                "--example",
                "mlp",
                "--steps",
                String.valueOf(STEPS),
                "--out",
                out.toString());
    }

    /**
     * A process started in the background of a non-interactive shell (CI under {@code nohup}, a job
     * started with {@code &}) has SIGINT ignored, its children too, and a JVM keeps an ignored
     * signal ignored: as a shell does for Ctrl-C, the victims start with the default handling
     * instead, through coreutils' {@code env --default-signal} where it has it.
     */
    private static final List<String> DEFAULT_SIGNALS = defaultSignals();

    private static List<String> defaultSignals() {
        List<String> prefix = List.of("env", "--default-signal=INT,TERM");
        try {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            Process process = new ProcessBuilder(probe).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0
                    ? prefix
                    : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private Process java(Path run, String... args) throws IOException {
        List<String> command = new ArrayList<>(DEFAULT_SIGNALS);
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(
                        tmp.resolve(run.getFileName() + "-out-" + System.nanoTime()).toFile())
                .redirectError(
                        tmp.resolve(run.getFileName() + "-err-" + System.nanoTime()).toFile())
                .start();
    }

    private String stderrOf(Path run) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(tmp)) {
            for (Path file : files.sorted().toList()) {
                if (file.getFileName().toString().startsWith(run.getFileName() + "-err-")) {
                    all.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return all.toString();
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.filter(line -> line.endsWith("}")).count();
        }
    }

    /** Each step's number and loss, without its timing. */
    private static List<String> losses(Path file) throws IOException {
        List<String> losses = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode step = JSON.readTree(line);
            losses.add(step.get("step").asText() + " " + step.get("loss").asText());
        }
        return losses;
    }
}
