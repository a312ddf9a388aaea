package io.trainsight.insight.report;

import java.util.List;

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
     * Returns the findings as the page draws them.
     *
     * @param report the report so far
     * @return one map per finding
     */
    public static List<Object> findings(RunReport report) {
        return HtmlReport.findings(report.findings());
    }
}
