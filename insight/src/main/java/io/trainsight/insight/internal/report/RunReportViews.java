package io.trainsight.insight.internal.report;

import io.trainsight.insight.report.RunReport;
import java.util.List;
import java.util.Map;

/** The parts of the report page the live dashboard refreshes: subtitle, figures, findings. */
public final class RunReportViews {

    private RunReportViews() {}

    /**
     * Returns the page's subtitle.
     *
     * @param report the report so far
     * @return directory, state and source
     */
    public static String subtitle(RunReport report) {
        return HtmlReport.subtitle(report);
    }

    /**
     * Returns the key figures.
     *
     * @param report the report so far
     * @return label and value pairs
     */
    public static List<List<String>> figures(RunReport report) {
        return ReportFigures.of(report);
    }

    /**
     * Returns the charts' data, in the form report.html embeds it, so the dashboard draws the same
     * charts from the same numbers.
     *
     * @param report the report so far
     * @return the series by column
     */
    public static Map<String, Object> series(RunReport report) {
        return HtmlReport.series(report.series());
    }

    /**
     * Returns the findings as the page draws them.
     *
     * @param report the report so far
     * @return one map per finding
     */
    public static List<Object> findings(RunReport report) {
        return HtmlReport.findings(report.findings());
    }
}
