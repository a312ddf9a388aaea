package io.trainsight.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Answers a failed command with one line on stderr and exit code 1; the stack trace goes to the log
 * at DEBUG level ({@code TRAINSIGHT_LOG_LEVEL=debug} shows it).
 */
final class FailureHandler implements IExecutionExceptionHandler {

    private static final Logger logger = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine commandLine, ParseResult parseResult) {
        logger.debug("The command failed", ex);
        PrintWriter err = commandLine.getErr();
        err.println(
                commandLine.getCommandSpec().qualifiedName()
                        + ": failed: "
                        + UsageErrorHandler.oneLine(describe(ex)));
        err.flush();
        return TrainsightCli.EXIT_FAILED;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return message;
    }
}
