package io.trainsight.insight;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.insight.internal.report.HtmlReport;
import io.trainsight.insight.internal.report.RunReportViews;
import io.trainsight.insight.report.RunReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The live view of a run while it trains: the JSON the dashboard polls ({@code /steps?since=N}) and
 * the dashboard's page, rendered as report.html renders the same figures, findings and charts.
 */
final class LiveView {

    private LiveView() {}

    /**
     * Writes the steps after {@code since} with the findings and key figures so far.
     *
     * @param session the run's session, or null before the run begins
     * @param now the report so far (or the final one); null when {@code session} is
     * @param since the last step the client has; 0 for every step kept
     * @return a JSON object: {@code steps}, {@code next}, {@code dropped}, {@code findings}, {@code
     *     figures}, {@code subtitle}, {@code source}, and {@code series}
     */
    static String json(RunSession session, RunReport now, long since) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.setCodec(new ObjectMapper());
            json.writeStartObject();
            if (session == null) {
                json.writeArrayFieldStart("steps");
                json.writeEndArray();
                json.writeNumberField("next", since);
                json.writeNumberField("dropped", 0);
                json.writeStringField("subtitle", "waiting for the first steps");
            } else {
                session.live().write(since, json);
                json.writeStringField("source", session.source());
                json.writeStringField("subtitle", RunReportViews.subtitle(now));
                json.writeObjectField("figures", RunReportViews.figures(now));
                json.writeObjectField("findings", RunReportViews.findings(now));
                json.writeObjectField("series", RunReportViews.series(now));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Renders the dashboard's page, which polls {@code steps} next to it.
     *
     * @param runName the run's name, or null
     * @param source where the samples come from
     * @param deviceIds the devices' ids
     * @return the HTML
     */
    static String dashboard(String runName, String source, List<String> deviceIds) {
        return HtmlReport.dashboard(
                "trainsight live: " + (runName == null ? "run" : runName), source, deviceIds);
    }
}
