package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainsight.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioned dashboard, docker/grafana/dashboards/trainsight.json: it queries only metrics a
 * trainsight run really publishes (compared with a scrape of the real meters), its PromQL parses,
 * and it has the panels the deployment promises.
 */
class GrafanaDashboardTest {

    static final Path FILE = Repo.DOCKER.resolve("grafana/dashboards/trainsight.json");
    private static final Set<String> GRAFANA_BUILT_INS =
            Set.of("__rate_interval", "__range", "__interval", "__range_s", "__interval_ms");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

    private final JsonNode dashboard = Repo.json(FILE);

    @TempDir Path tmp;

    @Test
    void everyMetricTheDashboardQueriesIsInAScrapeOfTheRealMeters() {
        Set<String> published = MetricsScrape.sampleNames(MetricsScrape.text());
        assertThat(published).as("the scrape").isNotEmpty();

        Map<String, Set<String>> queried = new LinkedHashMap<>();
        for (Map.Entry<String, String> query : queries().entrySet()) {
            queried.put(query.getKey(), PromQl.metricNames(query.getValue()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queried.put(
                        "variable " + variable.path("name").asText(),
                        PromQl.variableMetricNames(variableQuery(variable)));
            }
        }
        assertThat(queried).as("queries").isNotEmpty();
        for (Map.Entry<String, Set<String>> entry : queried.entrySet()) {
            assertThat(entry.getValue()).as("%s selects metrics", entry.getKey()).isNotEmpty();
            assertThat(published)
                    .as("%s queries metrics that /metrics does not publish", entry.getKey())
                    .containsAll(entry.getValue());
        }
    }

    @Test
    void itHasThePanelsTheDeploymentPromises() {
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : panels()) {
            titles.add(panel.path("title").asText());
        }
        assertThat(titles)
                .anyMatch(t -> t.startsWith("Step time split"))
                .anyMatch(t -> t.startsWith("Data-wait share"))
                .anyMatch(t -> t.startsWith("GPU utilisation"))
                .anyMatch(t -> t.startsWith("GPU memory: used against capacity"))
                .anyMatch(t -> t.startsWith("GPU power"))
                .anyMatch(t -> t.startsWith("Findings"));
        long findings =
                panels().stream()
                        .filter(p -> p.path("type").asText().equals("stat"))
                        .filter(p -> p.path("gridPos").path("y").asInt() > rowY("Findings"))
                        .count();
        assertThat(findings).as("stat panels under the Findings row").isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyQueryUsesTheDataSourceVariableAndDefinedVariables() {
        Set<String> defined = new LinkedHashSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            defined.add(variable.path("name").asText());
        }
        JsonNode datasource = variable("datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        for (JsonNode panel : panels()) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(title)
                    .isEqualTo("${datasource}");
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText())
                        .as(title)
                        .isEqualTo("${datasource}");
            }
        }
        Map<String, String> all = queries();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                String name = "variable " + variable.path("name").asText();
                assertThat(variable.path("datasource").path("uid").asText())
                        .as(name)
                        .isEqualTo("${datasource}");
                all.put(name, variableQuery(variable));
            }
        }
        for (Map.Entry<String, String> query : all.entrySet()) {
            Matcher m = VARIABLE.matcher(query.getValue());
            while (m.find()) {
                assertThat(defined.contains(m.group(1)) || GRAFANA_BUILT_INS.contains(m.group(1)))
                        .as("%s uses $%s, which is not defined", query.getKey(), m.group(1))
                        .isTrue();
            }
        }
    }

    @Test
    void panelsHaveUniqueIdsAndDoNotOverlap() {
        Set<Integer> ids = new LinkedHashSet<>();
        List<JsonNode> all = panels();
        for (JsonNode panel : all) {
            assertThat(ids.add(panel.path("id").asInt())).as("id %s", panel.path("id")).isTrue();
            JsonNode g = panel.path("gridPos");
            assertThat(g.path("x").asInt() + g.path("w").asInt())
                    .as(panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                assertThat(overlap(all.get(i).path("gridPos"), all.get(j).path("gridPos")))
                        .as("%s overlaps %s", all.get(i).path("title"), all.get(j).path("title"))
                        .isFalse();
            }
        }
    }

    /**
     * promtool parses every query (as recording rules, Grafana's variables replaced by values of
     * their kind).
     */
    @Test
    void everyQueryIsValidPromQl() throws Exception {
        Path promtool = Promtool.require();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : queries().values()) {
            String concrete =
                    expr.replace("$__rate_interval", "1m")
                            .replace("$__range", "1h")
                            .replace("$__interval", "1m")
                            .replaceAll("\\$\\{?\\w+}?", ".*");
            rules.append("      - record: dashboard:query_")
                    .append(++n)
                    .append("\n        expr: '")
                    .append(concrete.replace("'", "''"))
                    .append("'\n");
        }
        Path file = Files.writeString(tmp.resolve("dashboard-rules.yml"), rules);
        Commands.Result result = Promtool.run(promtool, "check", "rules", file.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + n + " rules found");
    }

    /** Every panel, rows included, with the panels of collapsed rows. */
    private List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Every target's expression, keyed by panel title and refId. */
    private Map<String, String> queries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        return queries;
    }

    private JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("the dashboard has no variable " + name);
    }

    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isTextual() ? query.asText() : query.path("query").asText();
    }

    private int rowY(String titlePrefix) {
        for (JsonNode panel : panels()) {
            if (panel.path("type").asText().equals("row")
                    && panel.path("title").asText().startsWith(titlePrefix)) {
                return panel.path("gridPos").path("y").asInt();
            }
        }
        throw new AssertionError("no row titled " + titlePrefix + "...");
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}
