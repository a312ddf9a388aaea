package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.trainsight.trainer.checkpoint.Checkpoint;
import io.trainsight.trainer.checkpoint.Checkpointer;
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
 * Kills a training JVM with SIGKILL in the middle of its run, resumes it with {@code --resume}, and
 * checks that it ends exactly where an uninterrupted run with the same seed ends: the same loss at
 * every step and the same parameters at the last.
 */
class ResumeAfterKillIT {

    private static final Path JAR = Paths.get("target", "trainsight.jar").toAbsolutePath();
    private static final int STEPS = 4000;
    private static final int KILL_AFTER = 1700;

    @TempDir Path tmp;

    @Test
    void aRunKilledWithSigkillAndResumedMatchesAnUninterruptedRun() throws Exception {
        Path whole = tmp.resolve("whole");
        assertThat(train(whole).waitFor()).isZero();

        Path killed = tmp.resolve("killed");
        Process victim = train(killed);
        Path log = killed.resolve("steps.jsonl");
        await("the run logs " + KILL_AFTER + " steps")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(5))
                .failFast("the run ended before it could be killed", () -> !victim.isAlive())
                .until(() -> lines(log) >= KILL_AFTER);
        victim.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush, no close
        assertThat(victim.waitFor()).as("killed by signal 9").isEqualTo(137);
        long linesAtKill = lines(log);
        assertThat(linesAtKill).isBetween((long) KILL_AFTER, (long) STEPS - 1);
        assertThat(Checkpointer.latest(killed.resolve("checkpoints"))).isPresent();

        Process resumed = java("train", "--resume", killed.toString());
        assertThat(resumed.waitFor()).as("the resumed run").isZero();

        assertThat(losses(log)).hasSize(STEPS).isEqualTo(losses(whole.resolve("steps.jsonl")));
        try (NDManager manager = NDManager.newBaseManager();
                Checkpoint a = last(whole, manager);
                Checkpoint b = last(killed, manager)) {
            assertThat(b.state().step()).isEqualTo(STEPS);
            assertThat(b.parameters().keySet()).isEqualTo(a.parameters().keySet());
            for (String name : a.parameters().keySet()) {
                NDArray expected = a.parameters().get(name);
                NDArray actual = b.parameters().get(name);
                assertThat(actual.toFloatArray())
                        .as("parameter %s at step %d", name, STEPS)
                        .containsExactly(expected.toFloatArray());
            }
        }
    }

    private static Checkpoint last(Path run, NDManager manager) throws IOException {
        return Checkpointer.read(
                Checkpointer.latest(run.resolve("checkpoints")).orElseThrow(), manager);
    }

    private Process train(Path out) throws IOException {
        return java(
                "train",
                "--example",
                "mlp",
                "--steps",
                String.valueOf(STEPS),
                "--checkpoint-every",
                "500",
                "--out",
                out.toString());
    }

    private Process java(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out-" + System.nanoTime()).toFile())
                .redirectError(tmp.resolve("err-" + System.nanoTime()).toFile())
                .start();
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var stream = Files.lines(file)) {
            return stream.filter(line -> line.endsWith("}")).count();
        }
    }

    private static List<String> losses(Path file) throws IOException {
        List<String> losses = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int at = line.indexOf("\"loss\":") + 7;
            losses.add(
                    line.substring(0, line.indexOf("\"start_ms\""))
                            + line.substring(at, line.indexOf(',', at)));
        }
        return losses;
    }
}
