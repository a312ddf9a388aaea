package io.trainsight.cli.report;

import io.trainsight.insight.internal.report.ConsoleTable;
import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.RunReplay;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trainsight report RUN_DIR}: re-renders report.html and prints the console table. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuild a run's report.html and print its step-vs-GPU table from the files in its run"
                    + " directory (steps.jsonl, summary.json, run.json).",
            "Works on a run that crashed before writing its summary: the defaults are used then."
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "The run directory (train's --out).")
    private Path runDir;

    @Override
    public Integer call() throws IOException {
        RunReport report;
        try {
            report = RunReplay.read(runDir);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "RUN_DIR: " + e.getMessage());
        }
        Path html = runDir.resolve(HtmlReport.FILE_NAME);
        HtmlReport.write(report, html);
        PrintWriter out = spec.commandLine().getOut();
        ConsoleTable.print(report, out);
        out.println("  report    " + html);
        out.flush();
        return 0;
    }
}
