package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.cli.CliRun;
import io.trainsight.cli.TrainsightCli;
import io.trainsight.trainer.checkpoint.Checkpointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run owns its directory: a new run does not mix with an old one, two processes never share one,
 * a damaged checkpoint does not stop a resume, and a resume with nothing left to do changes
 * nothing.
 */
class RunOwnershipTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private Path trainMlp(String name, int steps, String... more) {
        Path out = tmp.resolve(name);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--example",
                                "mlp",
                                "--steps",
                                String.valueOf(steps),
                                "--checkpoint-every",
                                "10",
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    @Test
    void aNewRunRefusesADirectoryHoldingAnotherRunAndChangesNothingThere() throws IOException {
        Path dir = trainMlp("old", 30);
        Map<Path, String> before = contents(dir);

        CliRun second =
                CliRun.of("train", "--example", "mlp", "--steps", "5", "--out", dir.toString());

        assertThat(second.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(second.err().strip())
                .isEqualTo(
                        "trainsight train: --out "
                                + dir
                                + " holds another run (run.json, steps.jsonl, summary.json,"
                                + " report.html, 3 checkpoints); give a new directory, continue"
                                + " that run with --resume "
                                + dir
                                + ", or replace it with --overwrite (see 'trainsight train"
                                + " --help')");
        assertThat(contents(dir)).as("every file as it was").isEqualTo(before);
    }

    @Test
    void overwriteReplacesTheOldRunsFilesOnlyAndALaterResumeContinuesTheNewRun()
            throws IOException {
        Path dir = trainMlp("replaced", 30);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("checkpoints").resolve("README"), "mine too");
        Files.writeString(dir.resolve("checkpoints").resolve("step-00000099.ckpt.corrupt"), "x");

        trainMlp("replaced", 5, "--overwrite", "--seed", "7");

        assertThat(dir.resolve("notes.txt")).hasContent("mine");
        assertThat(dir.resolve("checkpoints").resolve("README")).hasContent("mine too");
        assertThat(dir.resolve("checkpoints").resolve("step-00000099.ckpt.corrupt"))
                .as("the old run's damaged checkpoint went with it")
                .doesNotExist();
        assertThat(Checkpointer.list(dir.resolve("checkpoints")))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("step-00000005.ckpt");
        assertThat(steps(dir)).containsExactly(1L, 2L, 3L, 4L, 5L);

        CliRun resumed = CliRun.of("train", "--resume", dir.toString(), "--steps", "12");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Trained mlp: steps 6-12 (resumed)");
        assertThat(steps(dir)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        Path fresh = trainMlp("fresh", 12, "--seed", "7");
        assertThat(losses(dir)).as("the new run's weights went on").isEqualTo(losses(fresh));
    }

    @Test
    void aSecondProcessOnARunDirectoryIsRefusedNamingThePidAndAStaleLockDoesNotBlock()
            throws Exception {
        Path dir = trainMlp("locked", 10);
        Map<Path, String> before = contents(dir);
        Process holder = LockHolder.start(dir);
        try {
            String held =
                    " is in use by another trainsight run (PID "
                            + holder.pid()
                            + "); wait for it to end or stop it";
            CliRun resume = CliRun.of("train", "--resume", dir.toString(), "--steps", "20");
            assertThat(resume.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
            assertThat(resume.err()).contains("--resume " + dir + held);

            CliRun fresh =
                    CliRun.of(
                            "train",
                            "--example",
                            "mlp",
                            "--steps",
                            "5",
                            "--overwrite",
                            "--out",
                            dir.toString());
            assertThat(fresh.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
            assertThat(fresh.err()).contains("--out " + dir + held);
            before.remove(dir.resolve(RunLock.FILE_NAME));
            Map<Path, String> after = contents(dir);
            after.remove(dir.resolve(RunLock.FILE_NAME));
            assertThat(after).as("nothing touched").isEqualTo(before);
        } finally {
            holder.destroyForcibly(); // a crash: the lock file stays, the lock goes
            assertThat(holder.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(dir.resolve(RunLock.FILE_NAME)).hasContent(String.valueOf(holder.pid()));

        CliRun resumed = CliRun.of("train", "--resume", dir.toString(), "--steps", "20");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(steps(dir)).hasSize(20);
    }

    @Test
    void aDamagedNewestCheckpointIsRenamedAsideAndTheRunResumesFromThePreviousOne()
            throws IOException {
        Path whole = trainMlp("whole", 40);
        Path dir = trainMlp("damaged", 30);
        Path newest = dir.resolve("checkpoints").resolve("step-00000030.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(newest, bytes);

        CliRun resumed = CliRun.of("train", "--resume", dir.toString(), "--steps", "40");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err().lines().filter(line -> line.contains("damaged")))
                .singleElement()
                .asString()
                .contains(
                        "trainsight train: checkpoint step-00000030.ckpt is damaged (its checksum"
                            + " does not match its content), renamed to step-00000030.ckpt.corrupt;"
                            + " resuming from step-00000020.ckpt (step 20)");
        assertThat(dir.resolve("checkpoints").resolve("step-00000030.ckpt.corrupt"))
                .hasBinaryContent(bytes);
        assertThat(resumed.out()).contains("Trained mlp: steps 21-40 (resumed)");
        assertThat(losses(dir)).hasSize(40).isEqualTo(losses(whole));
    }

    @Test
    void aResumeWithNoStepsLeftIsRefusedAndChangesNothing() throws IOException {
        Path dir = trainMlp("done", 30);
        Map<Path, String> before = contents(dir);
        for (String[] args :
                List.of(
                        new String[] {"train", "--resume", dir.toString(), "--steps", "30"},
                        new String[] {"train", "--resume", dir.toString(), "--steps", "12"},
                        new String[] {"train", "--resume", dir.toString()})) {
            CliRun refused = CliRun.of(args);
            assertThat(refused.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(refused.err())
                    .contains(
                            "--resume "
                                    + dir
                                    + ": the run already has 30 steps; give --steps above 30");
            assertThat(refused.out()).isEmpty();
        }
        Map<Path, String> after = contents(dir);
        after.remove(dir.resolve(RunLock.FILE_NAME));
        before.remove(dir.resolve(RunLock.FILE_NAME));
        assertThat(after).as("nothing overwritten").isEqualTo(before);
    }

    @Test
    void aResumeOfARunThatFinishedItsEpochsIsRefused() {
        Path dir = trainMlp("epochs", 1000, "--epochs", "1", "--batch-size", "512");
        CliRun refused = CliRun.of("train", "--resume", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err())
                .contains(
                        "the run already has its 1 epoch(s) (16 steps); give --epochs above 1 or"
                                + " --steps above 16");
    }

    @Test
    void aWrongValueInRunJsonIsNamedAsRunJsonNamesIt() throws IOException {
        Path dir = trainMlp("edited", 10);
        Path runJson = dir.resolve("run.json");
        String saved = Files.readString(runJson);

        Files.writeString(runJson, saved.replace("\"batchSize\" : 32", "\"batchSize\" : -5"));
        CliRun negative = CliRun.of("train", "--resume", dir.toString(), "--steps", "20");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err())
                .contains(
                        "--resume "
                                + dir
                                + ": its run.json is not valid: \"batchSize\" is -5; valid: a"
                                + " positive number of samples")
                .doesNotContain("--example");

        Files.writeString(runJson, saved.replace("\"batchSize\" : 32", "\"batchSize\" : \"x\""));
        CliRun text = CliRun.of("train", "--resume", dir.toString(), "--steps", "20");
        assertThat(text.exitCode()).isEqualTo(2);
        assertThat(text.err())
                .contains("--resume " + dir + ": cannot read its run.json: ")
                .contains(" at line ")
                .doesNotContain("REDACTED")
                .doesNotContain("Source");
        assertThat(text.err().strip().lines()).hasSize(1);
    }

    @Test
    void anOutDirectoryTheSystemWillNotCreateIsAUsageErrorSayingWhy() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux's /proc");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--steps",
                        "2",
                        "--out",
                        "/proc/trainsight-nope");
        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        // as root, mkdir fails with ENOENT; as anyone else, /proc is not writable
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .startsWith("trainsight train: --out ")
                .contains("/proc/trainsight-nope")
                .contains("cannot be created")
                .doesNotContain("failed");
    }

    /** Every file under a directory with its content, to compare before and after. */
    private static Map<Path, String> contents(Path dir) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(file, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
            }
        }
        return files;
    }

    private static List<Long> steps(Path dir) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
            steps.add(JSON.readTree(line).get("step").asLong());
        }
        return steps;
    }

    private static List<String> losses(Path dir) throws IOException {
        List<String> losses = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
            JsonNode step = JSON.readTree(line);
            losses.add(step.get("step").asText() + " " + step.get("loss").asText());
        }
        return losses;
    }
}
