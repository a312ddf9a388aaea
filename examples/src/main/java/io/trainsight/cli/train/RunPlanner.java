package io.trainsight.cli.train;

import io.trainsight.insight.internal.storage.JsonErrors;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.checkpoint.ResumePoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;

/**
 * Decides where a run goes and what it continues from, and makes the run directory the run's own: a
 * new run refuses a directory that holds another run (unless told to replace it), a resumed run
 * continues from the newest intact checkpoint and only if its budget leaves steps to do, and either
 * holds the directory's lock ({@link RunLock}) until it ends. Everything is checked before a file
 * is written; what is wrong is a usage error naming the value.
 */
final class RunPlanner {

    private static final Logger logger = LoggerFactory.getLogger(RunPlanner.class);

    private final TrainingOptions options;
    private final Function<String, ParameterException> usage;
    private final PrintWriter err;

    /**
     * Creates a planner.
     *
     * @param options the training options of the command line
     * @param usage turns a problem into the command's usage error
     * @param err where the line about damaged checkpoints goes
     */
    RunPlanner(
            TrainingOptions options, Function<String, ParameterException> usage, PrintWriter err) {
        this.options = options;
        this.usage = usage;
        this.err = err;
    }

    /**
     * Plans a fresh run.
     *
     * @param out the run directory given, or null for the default
     * @param overwrite whether a run already in the directory is to be replaced
     * @return the plan, its directory not yet locked
     * @throws IOException if the directory cannot be read
     */
    RunPlan fresh(Path out, boolean overwrite) throws IOException {
        RunConfig config = options.toConfig(usage);
        Path runDir = out != null ? out : defaultRunDir(config.example());
        String problem = RunDirectory.problemWith(runDir);
        if (problem != null) {
            throw usage.apply("--out " + problem);
        }
        List<String> found = RunDirectory.runFiles(runDir);
        if (!found.isEmpty()) {
            lock(runDir, "--out").close(); // a live run there is named by its PID
            if (!overwrite) {
                throw usage.apply(holdsAnotherRun(runDir, found));
            }
        }
        return new RunPlan(config, runDir, null, overwrite);
    }

    /**
     * Plans the continuation of the run in a directory and locks the directory.
     *
     * @param runDir the run directory
     * @param out the --out given with it, or null
     * @param given tells which options were given on the command line
     * @return the plan, holding the directory's lock
     * @throws IOException if the directory cannot be read
     */
    RunPlan resume(Path runDir, Path out, Predicate<String> given) throws IOException {
        for (String option : TrainingOptions.FIXED_ON_RESUME) {
            if (given.test(option)) {
                throw usage.apply(
                        option
                                + " cannot be given with --resume: the run continues with the"
                                + " settings saved in its run.json (only --steps, --epochs,"
                                + " --device, --workers, --prefetch, --threads and --memory-format"
                                + " may change)");
            }
        }
        if (out != null || given.test("--overwrite")) {
            throw usage.apply(
                    (out != null ? "--out" : "--overwrite")
                            + " cannot be given with --resume: the run continues in "
                            + runDir);
        }
        if (!Files.isRegularFile(runDir.resolve(RunConfig.FILE_NAME))) {
            throw usage.apply(
                    "--resume "
                            + runDir
                            + ": not a run directory (no "
                            + RunConfig.FILE_NAME
                            + "); give the --out directory of an earlier trainsight train run");
        }
        RunLock lock = lock(runDir, "--resume");
        try {
            RunConfig saved = readConfig(runDir);
            ResumePoint point;
            try {
                point =
                        Checkpointer.newestIntact(runDir.resolve(RunDirectory.CHECKPOINTS))
                                .orElseThrow(
                                        () ->
                                                usage.apply(
                                                        "--resume "
                                                                + runDir
                                                                + ": the run has no checkpoint yet"
                                                                + " (checkpoints/step-*.ckpt)"));
            } catch (IOException e) {
                throw usage.apply("--resume " + runDir + ": " + e.getMessage());
            }
            if (point.describe() != null) {
                err.println("trainsight train: checkpoint " + point.describe());
                err.flush();
            }
            RunConfig config = options.budgetGiven() ? options.withBudget(saved, usage) : saved;
            RunPlan plan = new RunPlan(config, runDir, point, false);
            plan.lock(lock);
            return plan;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private RunConfig readConfig(Path runDir) {
        RunConfig saved;
        try {
            saved = RunConfig.read(runDir);
        } catch (IOException e) {
            throw usage.apply(
                    "--resume "
                            + runDir
                            + ": cannot read its "
                            + RunConfig.FILE_NAME
                            + ": "
                            + JsonErrors.describe(e));
        }
        String problem = saved.problem();
        if (problem != null) {
            throw usage.apply(
                    "--resume "
                            + runDir
                            + ": its "
                            + RunConfig.FILE_NAME
                            + " is not valid: "
                            + problem);
        }
        return saved;
    }

    /**
     * Makes the run directory the run's own: checks a resumed run's budget, creates and locks the
     * directory, removes the run it replaces, writes run.json. The loop then continues or starts
     * the step log.
     *
     * @param plan the plan
     * @param stepsPerEpoch the optimizer steps of one epoch
     * @throws IOException if the directory or a file cannot be written
     */
    void open(RunPlan plan, long stepsPerEpoch) throws IOException {
        ResumePoint point = plan.resumePoint();
        if (point != null) {
            checkBudget(plan, point.state().step(), stepsPerEpoch);
        }
        Path runDir;
        try {
            runDir = RunDirectory.create(plan.runDir());
        } catch (IOException e) {
            throw usage.apply(
                    "--out "
                            + plan.runDir()
                            + " cannot be created ("
                            + RunDirectory.reason(e)
                            + "); give a directory you can write to");
        }
        if (!plan.locked()) {
            plan.lock(lock(runDir, "--out"));
            List<String> found = RunDirectory.runFiles(runDir);
            if (!found.isEmpty() && !plan.overwrite()) {
                throw usage.apply(holdsAnotherRun(runDir, found)); // started meanwhile
            }
        }
        if (point != null) {
            logger.info(
                    "Resuming {} from step {} ({})",
                    runDir,
                    point.state().step(),
                    point.file().getFileName());
            return;
        }
        if (plan.overwrite()) {
            int removed = RunDirectory.clear(runDir);
            if (removed > 0) {
                logger.warn(
                        "Replacing the earlier run in {} (--overwrite: its {} file(s) removed)",
                        runDir,
                        removed);
            }
        }
        plan.config().write(runDir);
    }

    /** Refuses a resume whose budget is already spent: it would overwrite the run's report. */
    private void checkBudget(RunPlan plan, long done, long stepsPerEpoch) {
        RunConfig config = plan.config();
        if (TrainingOptions.plannedSteps(config, stepsPerEpoch) > done) {
            return;
        }
        String where = "--resume " + plan.runDir() + ": ";
        if (config.steps() != null && config.steps() <= done) {
            throw usage.apply(
                    where + "the run already has " + done + " steps; give --steps above " + done);
        }
        throw usage.apply(
                where
                        + "the run already has its "
                        + config.epochs()
                        + " epoch(s) ("
                        + done
                        + " steps); give --epochs above "
                        + config.epochs()
                        + " or --steps above "
                        + done);
    }

    private RunLock lock(Path runDir, String option) throws IOException {
        try {
            return RunLock.acquire(runDir);
        } catch (RunLock.HeldException e) {
            throw usage.apply(option + " " + runDir + " " + e.getMessage());
        }
    }

    private static Path defaultRunDir(String example) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Paths.get("runs", example + "-" + stamp);
    }

    private static String holdsAnotherRun(Path runDir, List<String> found) {
        return "--out "
                + runDir
                + " holds another run ("
                + String.join(", ", found)
                + "); give a new directory, continue that run with --resume "
                + runDir
                + ", or replace it with --overwrite";
    }
}
