package io.trainsight.insight;

import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a run's summary.json and report.html into its directory, each atomically. */
final class ReportFiles {

    private static final Logger logger = LoggerFactory.getLogger(ReportFiles.class);

    private ReportFiles() {}

    /**
     * Writes both files.
     *
     * @param report the report
     * @param runDirectory the run directory
     * @return why a file could not be written, or null when both were
     */
    static IOException write(RunReport report, Path runDirectory) {
        try {
            SummaryJson.write(report, runDirectory.resolve(SummaryJson.FILE_NAME));
            HtmlReport.write(report, runDirectory.resolve(HtmlReport.FILE_NAME));
            return null;
        } catch (IOException | UncheckedIOException e) {
            IOException error =
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            logger.warn("Cannot write the run's report to {}: {}", runDirectory, e.getMessage());
            return error;
        }
    }
}
