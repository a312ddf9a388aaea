package io.trainsight.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana variable query) selects: what is left once
 * strings, label matchers, range selectors, label lists, Grafana variables, numbers, function calls
 * and operators are taken out.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?\\w+");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+(:\\w+)?}?");
    private static final Pattern NUMBER =
            Pattern.compile("(?<![\\w:])\\d+(\\.\\d+)?([eE][+-]?\\d+)?(?![\\w:])");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "unless", "bool", "inf", "nan", "Inf", "NaN");
    private static final Pattern LABEL_VALUES =
            Pattern.compile(
                    "^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern QUERY_RESULT =
            Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

    private PromQl() {}

    /**
     * Returns the metric names an expression selects.
     *
     * @param expression a PromQL expression, Grafana variables allowed
     * @return the names, in order of appearance
     */
    static Set<String> metricNames(String expression) {
        String s = STRING.matcher(expression).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        s = OFFSET.matcher(s).replaceAll(" ");
        s = VARIABLE.matcher(s).replaceAll(" ");
        s = NUMBER.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            if (m.group(1) == null && !KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /**
     * Returns the metric names a Grafana Prometheus variable query selects: {@code
     * label_values(EXPR, label)}, {@code query_result(EXPR)} or a plain expression.
     *
     * @param query the variable's query
     * @return the names
     */
    static Set<String> variableMetricNames(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return metricNames(labelValues.group(1));
        }
        Matcher queryResult = QUERY_RESULT.matcher(query);
        return metricNames(queryResult.matches() ? queryResult.group(1) : query);
    }
}
