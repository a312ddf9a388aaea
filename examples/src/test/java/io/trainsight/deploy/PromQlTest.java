package io.trainsight.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard check relies on. */
class PromQlTest {

    @Test
    void findsTheSelectedMetricsAndNothingElse() {
        assertThat(
                        PromQl.metricNames(
                                "sum by (job, run) (rate(train_data_wait_seconds_sum{job=~\"$job\","
                                    + " run=~\"a|b\"}[$__rate_interval])) / on (job) group_left"
                                    + " (gpu_index) sum(rate(train_step_duration_seconds_count[5m]"
                                    + " offset 1h)) by (job) > bool 0.05 * 1e3"))
                .containsExactly(
                        "train_data_wait_seconds_sum", "train_step_duration_seconds_count");
        assertThat(
                        PromQl.metricNames(
                                "max_over_time(gpu_memory_used_bytes[$__range]) / ignoring"
                                        + " (reason) gpu_memory_total_bytes and up"))
                .containsExactly("gpu_memory_used_bytes", "gpu_memory_total_bytes", "up");
    }

    @Test
    void readsGrafanaVariableQueries() {
        assertThat(
                        PromQl.variableMetricNames(
                                "label_values(host_memory_total_bytes{job=~\"$job\"}, run)"))
                .containsExactly("host_memory_total_bytes");
        assertThat(PromQl.variableMetricNames("query_result(topk(3, train_loss))"))
                .containsExactly("train_loss");
    }
}
