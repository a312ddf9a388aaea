package io.trainsight.cli.train;

import io.trainsight.trainer.checkpoint.Checkpointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.ParameterException;

/**
 * Plans a {@code train} run from the command line: its settings, its directory and, for {@code
 * --resume}, the checkpoint it continues from. Every problem is a usage error found before anything
 * is written.
 */
final class RunPlanner {

    private final TrainingOptions options;
    private final Function<String, ParameterException> usage;

    RunPlanner(TrainingOptions options, Function<String, ParameterException> usage) {
        this.options = options;
        this.usage = usage;
    }

    /**
     * Plans a fresh run.
     *
     * @param out the run directory given, or null for the default
     * @return the plan
     */
    RunPlan fresh(Path out) {
        RunConfig config = options.toConfig(usage);
        Path runDir = out != null ? out : defaultRunDir(config.example());
        String problem = RunDirectory.problemWith(runDir);
        if (problem != null) {
            throw usage.apply("--out " + problem);
        }
        return new RunPlan(config, runDir, null);
    }

    /**
     * Plans the continuation of the run in a directory.
     *
     * @param resume the run directory
     * @param out the --out given with it, or null
     * @param given tells which options were given on the command line
     * @return the plan
     * @throws IOException if the checkpoints cannot be listed
     */
    RunPlan resume(Path resume, Path out, Predicate<String> given) throws IOException {
        for (String option : TrainingOptions.FIXED_ON_RESUME) {
            if (given.test(option)) {
                throw usage.apply(
                        option
                                + " cannot be given with --resume: the run continues with the"
                                + " settings saved in its run.json (only --steps, --epochs,"
                                + " --device, --workers and --prefetch may change)");
            }
        }
        if (out != null) {
            throw usage.apply(
                    "--out cannot be given with --resume: the run continues in " + resume);
        }
        if (!Files.isRegularFile(resume.resolve(RunConfig.FILE_NAME))) {
            throw usage.apply(
                    "--resume "
                            + resume
                            + ": not a run directory (no "
                            + RunConfig.FILE_NAME
                            + "); give the --out directory of an earlier trainsight train run");
        }
        RunConfig saved;
        try {
            saved = RunConfig.read(resume);
        } catch (IOException e) {
            throw usage.apply(
                    "--resume " + resume + ": cannot read its run.json: " + e.getMessage());
        }
        Path checkpoint =
                Checkpointer.latest(resume.resolve("checkpoints"))
                        .orElseThrow(
                                () ->
                                        usage.apply(
                                                "--resume "
                                                        + resume
                                                        + ": the run has no checkpoint yet"
                                                        + " (checkpoints/step-*.ckpt)"));
        RunConfig config = options.budgetGiven() ? options.withBudget(saved, usage) : saved;
        return new RunPlan(config, resume, checkpoint);
    }

    private static Path defaultRunDir(String example) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Paths.get("runs", example + "-" + stamp);
    }

    /**
     * What a run will do: its settings, its directory, and the checkpoint it resumes from.
     *
     * @param config the settings
     * @param runDir the run directory
     * @param checkpoint the checkpoint to resume from, or null for a fresh run
     */
    record RunPlan(RunConfig config, Path runDir, Path checkpoint) {}
}
