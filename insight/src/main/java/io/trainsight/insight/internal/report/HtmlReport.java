package io.trainsight.insight.internal.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.storage.AtomicFiles;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Renders {@code report.html}: one self-contained page that opens offline from {@code file://}. The
 * chart library (uPlot, from its webjar on the classpath), the drawing script and the run's data
 * are all inlined. The page shows the key figures, the findings with their evidence and advice,
 * charts of the step time split into data wait and compute, utilisation, memory against capacity,
 * power and loss, with the findings' steps shaded on every chart, and the run's details. The same
 * page, with no data and {@code live} set, is the dashboard of {@code train --serve}.
 */
public final class HtmlReport {

    /** The file name inside a run directory. */
    public static final String FILE_NAME = "report.html";

    private static final String UPLOT = "META-INF/resources/webjars/uplot/";
    private static final String UPLOT_VERSION =
            "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    /**
     * Writes a report's page atomically.
     *
     * @param report the report
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public static void write(RunReport report, Path file) throws IOException {
        AtomicFiles.writeString(file, render(report));
    }

    /**
     * Renders a report's page.
     *
     * @param report the report
     * @return the HTML
     */
    public static String render(RunReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", "trainsight report: " + report.run().name());
        data.put("subtitle", subtitle(report));
        data.put("source", report.source());
        data.put("live", false);
        data.put("figures", ReportFigures.of(report));
        data.put("findings", findings(report.findings()));
        data.put("series", series(report.series()));
        Map<String, Object> summary = SummaryJson.tree(report);
        Map<String, Object> details = new LinkedHashMap<>();
        for (String group :
                List.of(
                        "run",
                        "environment",
                        "configuration",
                        "totals",
                        "time_split",
                        "thresholds")) {
            details.put(group, summary.get(group));
        }
        data.put("details", details);
        return page("trainsight report: " + report.run().name(), data);
    }

    /**
     * Renders the live dashboard: the report's page without data, which polls {@code steps} and
     * redraws every second from the same chart data as the report ({@link #series}), drawn by the
     * same script.
     *
     * @param title the page's title
     * @param source {@link RunReport#GPU}, {@link RunReport#HOST} or {@link RunReport#NONE}
     * @param deviceIds the devices' ids, in the order of the rows {@code /steps} returns
     * @return the HTML
     */
    public static String dashboard(String title, String source, List<String> deviceIds) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("subtitle", "waiting for the first steps");
        data.put("source", source);
        data.put("live", true);
        data.put("deviceIds", deviceIds);
        data.put("figures", List.of());
        data.put("findings", List.of());
        data.put("series", series(new ChartSeries(deviceIds.size()).columns(deviceIds)));
        return page(title, data);
    }

    static String subtitle(RunReport report) {
        RunReport.RunInfo run = report.run();
        String ended =
                run.stopReason() == null
                        ? "running"
                        : "ended: "
                                + run.stopReason()
                                + (run.failure() == null ? "" : " (" + run.failure() + ")");
        return run.directory() + " · " + ended + " · source: " + report.sourceDescription();
    }

    static List<Object> findings(List<Finding> findings) {
        List<Object> list = new ArrayList<>();
        for (Finding finding : findings) {
            list.add(SummaryJson.finding(finding));
        }
        return list;
    }

    /** The charts' data, as the page's script reads it: the report's and the dashboard's. */
    static Map<String, Object> series(ChartSeries.Columns columns) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("stride", columns.stride());
        series.put("step", columns.step());
        series.put("stepMs", rounded(columns.stepMs(), 1000));
        series.put("waitMs", rounded(columns.waitMs(), 1000));
        series.put("computeMs", rounded(columns.computeMs(), 1000));
        series.put("loss", rounded(columns.loss(), 100000));
        series.put("gcMs", rounded(columns.gcMs(), 1000));
        series.put("liveArrays", rounded(columns.liveArrays(), 1));
        series.put("systemCpu", rounded(columns.systemCpu(), 10));
        series.put("processCpu", rounded(columns.processCpu(), 10));
        List<Object> devices = new ArrayList<>();
        for (ChartSeries.DeviceColumns device : columns.devices()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("device", device.device());
            map.put("util", rounded(device.util(), 10));
            map.put("utilMin", rounded(device.utilMin(), 10));
            map.put("memory", rounded(device.memory(), 1));
            map.put("capacity", rounded(device.capacity(), 1));
            map.put("power", rounded(device.power(), 10));
            devices.add(map);
        }
        series.put("devices", devices);
        return series;
    }

    /** Rounds for a smaller page; NaN becomes null (a gap in the chart). */
    private static List<Double> rounded(double[] values, double scale) {
        List<Double> list = new ArrayList<>(values.length);
        for (double value : values) {
            list.add(
                    Double.isNaN(value) || Double.isInfinite(value)
                            ? null
                            : Math.round(value * scale) / scale);
        }
        return list;
    }

    private static String page(String title, Map<String, Object> data) {
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the report's data as JSON", e);
        }
        // Inside <script>: no "</" or "<!--" may appear; JSON allows "\/" and "\u0021".
        json = json.replace("</", "<\\/").replace("<!", "<\\u0021");
        String version = uplotVersion();
        return resource("io/trainsight/insight/internal/report/page.html")
                .replace("{{TITLE}}", escape(title))
                .replace("{{UPLOT_CSS}}", resource(UPLOT + version + "/dist/uPlot.min.css"))
                .replace("{{UPLOT_JS}}", resource(UPLOT + version + "/dist/uPlot.iife.min.js"))
                .replace(
                        "{{CHARTS_JS}}",
                        resource("io/trainsight/insight/internal/report/charts.js"))
                .replace("{{DATA}}", json);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = open(UPLOT_VERSION)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + UPLOT_VERSION, e);
        }
        return properties.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " from the classpath", e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(
                    name
                            + " is not on the classpath (the uPlot webjar or insight's"
                            + " resources are missing)");
        }
        return in;
    }
}
