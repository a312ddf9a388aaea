package io.trainsight.cli;

import java.io.PrintWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Answers a wrong command line with one line on stderr and exit code 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String name = commandLine.getCommandSpec().qualifiedName();
        err.println(
                name + ": " + reworded(oneLine(ex.getMessage())) + " (see '" + name + " --help')");
        err.flush();
        return TrainsightCli.EXIT_USAGE;
    }

    /** Picocli's "Value for option option '--x' (K=V) should be in KEY=VALUE format but was y". */
    private static final Pattern KEY_VALUE =
            Pattern.compile(
                    "Value for option option '(\\S+)' \\((\\S+)\\) should be in KEY=VALUE format"
                            + " but was (.*)");

    /** Rewords picocli's messages that read badly. */
    static String reworded(String message) {
        Matcher matcher = KEY_VALUE.matcher(message);
        if (matcher.matches()) {
            return matcher.group(1)
                    + ": '"
                    + matcher.group(3)
                    + "' is not of the form "
                    + matcher.group(2);
        }
        return message;
    }

    static String oneLine(String message) {
        return message == null ? "invalid command line" : message.replaceAll("\\s*\\R\\s*", " ");
    }
}
