package io.trainsight.cli;

import io.trainsight.cli.doctor.DoctorCommand;
import io.trainsight.cli.report.CompareCommand;
import io.trainsight.cli.report.ReportCommand;
import io.trainsight.cli.train.TrainCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code trainsight} command line: one sub-command per task. Exit codes: 0 done, 1 the work
 * failed, 2 the command line was wrong (one line on stderr says what and what would be valid).
 */
@Command(
        name = "trainsight",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train deep-learning models on DJL and see what the GPU did at every step.",
        subcommands = {
            TrainCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            GpusCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TrainsightCli implements Runnable {

    /** The exit code of a run whose work failed. */
    public static final int EXIT_FAILED = 1;

    /** The exit code of a wrong command line. */
    public static final int EXIT_USAGE = 2;

    @Spec private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "a command is required: one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Builds the command line with its error handling.
     *
     * @param out where results and help go
     * @param err where errors go
     * @return the command line, ready to {@code execute}
     */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new TrainsightCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        commandLine.setExitCodeExceptionMapper(e -> EXIT_FAILED);
        return commandLine;
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        OfflineDefaults.apply();
        CudaRuntimePath.apply();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = newCommandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
