package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.cli.CliRun;
import io.trainsight.cli.TrainsightCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void trainsTheMlpWritesEveryStepAndTheLossFalls() throws IOException {
        Path out = tmp.resolve("run");
        CliRun run =
                CliRun.of("train", "--example", "mlp", "--steps", "200", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> steps = readSteps(out.resolve("steps.jsonl"));
        assertThat(steps).hasSize(200);
        assertThat(steps.get(0).get("step").asLong()).isEqualTo(1);
        assertThat(steps.get(199).get("step").asLong()).isEqualTo(200);
        for (JsonNode step : steps) {
            assertThat(step.get("duration_ms").asDouble()).isPositive();
            assertThat(step.get("data_wait_ms").asDouble())
                    .isLessThanOrEqualTo(step.get("duration_ms").asDouble());
            assertThat(step.get("samples").asInt()).isEqualTo(32);
        }
        double first = meanLoss(steps.subList(0, 50));
        double last = meanLoss(steps.subList(150, 200));
        assertThat(last).as("last-50 mean loss vs first-50").isLessThan(first * 0.6);

        assertThat(run.out())
                .contains("Trained mlp: 200 steps in 1 epoch(s)")
                .containsPattern(
                        "loss +first 50 steps \\d+\\.\\d{4} -> last 50 steps \\d+\\.\\d{4}")
                .containsPattern("held-out +accuracy 0\\.[5-9]\\d* on 2048 samples")
                .contains(out.resolve("steps.jsonl").toString());
    }

    @Test
    void anEpochBudgetRunsWholeEpochs() throws IOException {
        Path out = tmp.resolve("epochs");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--epochs",
                        "1",
                        "--batch-size",
                        "512",
                        "--out",
                        out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        // 8192 training samples in batches of 512.
        assertThat(readSteps(out.resolve("steps.jsonl"))).hasSize(16);
    }

    @Test
    void theSameSeedGivesTheSameRun() throws IOException {
        CliRun.of(
                "train",
                "--example",
                "mlp",
                "--steps",
                "30",
                "--seed",
                "5",
                "--out",
                tmp.resolve("a").toString());
        CliRun.of(
                "train",
                "--example",
                "mlp",
                "--steps",
                "30",
                "--seed",
                "5",
                "--out",
                tmp.resolve("b").toString());
        CliRun.of(
                "train",
                "--example",
                "mlp",
                "--steps",
                "30",
                "--seed",
                "6",
                "--out",
                tmp.resolve("c").toString());
        List<Double> a = losses(tmp.resolve("a/steps.jsonl"));
        assertThat(losses(tmp.resolve("b/steps.jsonl"))).isEqualTo(a);
        assertThat(losses(tmp.resolve("c/steps.jsonl"))).isNotEqualTo(a);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--example foo | unknown example 'foo'; valid: cnn, gc-pressure, io-bound, leak,"
                        + " leak-fixed, mlp, oom-risk",
                "--example mlp --steps 0 | --steps must be a positive number of steps, got 0",
                "--example mlp --epochs -2 | --epochs must be a positive number of epochs, got -2",
                "--example mlp --batch-size 0 | --batch-size must be a positive number of samples,"
                        + " got 0",
                "--example mlp --lr -1 | --lr must be a positive finite number, got -1.0",
                "--example mlp --device tpu | 'tpu' is not a device; valid: cpu, gpu, auto",
                "--example mlp --steps many | '--steps': 'many' is not a long",
                "--steps 5 | --example is required (or --resume DIR); valid: cnn, gc-pressure,"
                        + " io-bound, leak, leak-fixed, mlp, oom-risk",
                "--example mlp --accumulate 0 | --accumulate must be 1 or more micro-batches, got"
                        + " 0",
                "--example mlp --clip-norm -1 | --clip-norm must be a positive finite number, got"
                        + " -1.0",
                "--example mlp --clip-value 0 | --clip-value must be a positive finite number, got"
                        + " 0.0",
                "--example mlp --checkpoint-every -5 | --checkpoint-every must be 0 (only at the"
                        + " end)",
                "--example mlp --keep-checkpoints 0 | --keep-checkpoints must be 1 or more, got 0",
                "--example mlp --precision fp8 | 'fp8' is not a precision; valid: fp32, fp16",
                "--example mlp --precision bf16 | precision bf16 is not supported: DJL 0.36's"
                        + " PyTorch engine cannot run bfloat16",
                "--example mlp --amp --precision fp32 | --amp means --precision fp16; it"
                        + " contradicts --precision fp32",
                "--example mlp --threshold nope=1 | --threshold: unknown threshold 'nope'; valid:"
                        + " input-bound-high,",
                "--example mlp --threshold oom-peak-share=2 | --threshold: oom-peak-share must be"
                        + " a share above 0 and at most 1, got 2.0",
                "--example mlp --memory-limit lots | --memory-limit: 'lots' is not a size",
                "--example mlp --sample-interval 5ms | --sample-interval 5ms is out of range;"
                        + " valid: 10ms to 10s",
                "--example mlp --sample-interval 1h | --sample-interval 1h is out of range;"
                        + " valid: 10ms to 10s",
                "--example mlp --threshold x | --threshold: 'x' is not of the form NAME=VALUE",
                "--example mlp --held-out 0.3 | --held-out needs --data PATH: the example's"
                        + " generated data has its own held-out set",
                "--example mlp --label-column y | --label-column needs --data PATH",
                "--example mlp --image-size 64 | --image-size needs --data PATH",
            })
    void badInputIsOneLineWithExitCode2AndNoRunDirectory(String args, String message) {
        Path out = tmp.resolve("never");
        List<String> argv = new ArrayList<>(List.of("train"));
        argv.addAll(List.of(args.trim().split("\\s+")));
        argv.addAll(List.of("--out", out.toString()));

        CliRun run = CliRun.of(argv.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("trainsight train: ").contains(message.trim());
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void anOutPathUnderAFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun run =
                CliRun.of("train", "--example", "mlp", "--out", file.resolve("run").toString());
        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err()).contains("cannot be created: '" + file + "' is a file");

        CliRun onFile = CliRun.of("train", "--example", "mlp", "--out", file.toString());
        assertThat(onFile.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(onFile.err()).contains("'" + file + "' is a file; give a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void gpuWithoutAGpuIsAUsageErrorNamingTheValidDevices() {
        Assumptions.assumeTrue(
                Engine.getInstance().getGpuCount() == 0,
                "this machine has a GPU: nothing to refuse");
        Path out = tmp.resolve("gpu");
        CliRun run =
                CliRun.of("train", "--example", "mlp", "--device", "gpu", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err())
                .contains("--device: device 'gpu' was asked for")
                .contains("valid here: cpu, auto");
        assertThat(out).doesNotExist();
    }

    @Test
    void theCnnTrainsInMixedPrecisionWithAccumulationAndClipping() throws IOException {
        Path out = tmp.resolve("cnn");
        CliRun run =
                CliRun.of(
                        "train",
                        "--example",
                        "cnn",
                        "--steps",
                        "30",
                        "--amp",
                        "--accumulate",
                        "2",
                        "--clip-norm",
                        "5",
                        "--batch-size",
                        "16",
                        "--out",
                        out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> steps = readSteps(out.resolve("steps.jsonl"));
        assertThat(steps).hasSize(30);
        assertThat(steps.get(0).get("micro_batches").asInt()).isEqualTo(2);
        assertThat(steps.get(0).get("samples").asInt()).isEqualTo(32);
        assertThat(steps.get(0).get("loss_scale").asDouble()).isEqualTo(65536.0);
        assertThat(steps.get(0).get("skipped").asBoolean()).isTrue();
        assertThat(steps.get(29).has("grad_norm")).isTrue();
        assertThat(run.out())
                .contains("Trained cnn: 30 steps")
                .contains("fp16 ")
                .contains("skipped");
        assertThat(out.resolve("checkpoints/step-00000030.ckpt")).exists();
        assertThat(out.resolve("run.json")).content().contains("\"precision\" : \"fp16\"");
    }

    @Test
    void resumeContinuesARunWithItsSavedSettingsAndTheSameLosses() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun.of(
                "train",
                "--example",
                "mlp",
                "--steps",
                "60",
                "--checkpoint-every",
                "20",
                "--out",
                whole.toString());
        Path part = tmp.resolve("part");
        CliRun first =
                CliRun.of(
                        "train",
                        "--example",
                        "mlp",
                        "--steps",
                        "30",
                        "--checkpoint-every",
                        "20",
                        "--out",
                        part.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();

        CliRun resumed = CliRun.of("train", "--resume", part.toString(), "--steps", "60");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Trained mlp: steps 31-60 (resumed)");
        assertThat(losses(part.resolve("steps.jsonl")))
                .isEqualTo(losses(whole.resolve("steps.jsonl")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--lr 0.1 | --lr cannot be given with --resume",
                "--amp | --amp cannot be given with --resume",
                "--out elsewhere | --out cannot be given with --resume",
                "--steps 0 | --steps must be a positive number of steps, got 0",
            })
    void resumeRefusesToChangeTheSavedSettings(String args, String message) {
        Path run = tmp.resolve("saved");
        assertThat(
                        CliRun.of(
                                        "train",
                                        "--example",
                                        "mlp",
                                        "--steps",
                                        "4",
                                        "--out",
                                        run.toString())
                                .exitCode())
                .isZero();
        List<String> argv = new ArrayList<>(List.of("train", "--resume", run.toString()));
        argv.addAll(List.of(args.trim().split("\\s+")));
        CliRun refused = CliRun.of(argv.toArray(String[]::new));
        assertThat(refused.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(refused.err()).contains(message.trim());
    }

    @Test
    void resumeNeedsARunDirectoryWithACheckpoint() throws IOException {
        CliRun notARun = CliRun.of("train", "--resume", tmp.toString());
        assertThat(notARun.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(notARun.err()).contains("not a run directory (no run.json)");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args :
                List.of(
                        new String[] {"--help"},
                        new String[] {"train", "--help"},
                        new String[] {"help", "train"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("Usage: trainsight");
        }
        assertThat(CliRun.of("train", "--help").out())
                .contains("--example=NAME", "--steps=N", "--epochs=N", "--batch-size=N", "--lr=X")
                .contains("--device=cpu|gpu|auto", "--seed=N", "--out=DIR", "--resume=DIR")
                .contains("--amp", "--precision=fp32|fp16|bf16", "--accumulate=K")
                .contains("--clip-norm=X", "--clip-value=X", "--checkpoint-every=N");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(TrainsightCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("trainsight: a command is required: one of train");
    }

    private static List<JsonNode> readSteps(Path file) throws IOException {
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            steps.add(JSON.readTree(line));
        }
        return steps;
    }

    private static List<Double> losses(Path file) throws IOException {
        return readSteps(file).stream().map(s -> s.get("loss").asDouble()).toList();
    }

    private static double meanLoss(List<JsonNode> steps) {
        return steps.stream().mapToDouble(s -> s.get("loss").asDouble()).average().orElseThrow();
    }
}
