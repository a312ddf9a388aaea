package io.trainsight.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.report.RunComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trainsight compare RUN_A RUN_B}: what changed from one run to another. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two runs from their summary.json: step time, data-wait share, utilisation,"
                    + " memory peak, energy per sample and samples per second, with the change"
                    + " and the regressions.",
            "The exit code is 0 whether or not B regressed; 2 when a run directory cannot be read."
        })
public final class CompareCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The run to compare from.")
    private Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The run to compare to.")
    private Path runB;

    @Option(
            names = "--threshold",
            paramLabel = "F",
            defaultValue = "0.1",
            description =
                    "A change worse than this share (0.1 = 10 %%; for the data-wait share, this"
                            + " many hundred percentage points) is a regression (default:"
                            + " ${DEFAULT-VALUE}).")
    private double threshold;

    @Override
    public Integer call() {
        if (!(threshold > 0 && threshold < 10)) {
            throw usage("--threshold must be a share above 0 (such as 0.1), got " + threshold);
        }
        JsonNode a = summary("RUN_A", runA);
        JsonNode b = summary("RUN_B", runB);
        new RunComparison(runA.toString(), a, runB.toString(), b, threshold)
                .print(spec.commandLine().getOut());
        return 0;
    }

    private JsonNode summary(String label, Path runDir) {
        Path file = runDir.resolve(SummaryJson.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw usage(
                    label
                            + " "
                            + runDir
                            + ": no "
                            + SummaryJson.FILE_NAME
                            + " (give a run directory of trainsight train; 'trainsight report'"
                            + " reads one without it)");
        }
        try {
            return SummaryJson.read(file);
        } catch (IOException e) {
            throw usage(label + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
