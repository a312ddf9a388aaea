package io.trainsight.insight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Steps;
import io.trainsight.insight.internal.report.ChartSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartSeriesTest {

    @Test
    void aMillionStepsFitInTwoThousandPointsThatCoverThemAll() {
        ChartSeries series = new ChartSeries(1);
        long steps = 1_000_000;
        for (long step = 1; step <= steps; step++) {
            series.add(Steps.record(step, 20, step % 2 == 0 ? 4 : 2), List.of(Steps.gpu(step, 50)));
        }
        ChartSeries.Columns columns = series.columns(List.of("gpu0"));
        assertThat(columns.step().length)
                .isLessThanOrEqualTo(ChartSeries.MAX_POINTS)
                .isGreaterThan(900);
        assertThat(Long.bitCount(columns.stride())).as("a power of two").isEqualTo(1);
        assertThat(columns.step()[columns.step().length - 1]).isEqualTo(steps);
        for (int p = 0; p < columns.step().length; p++) {
            assertThat(columns.stepMs()[p]).isEqualTo(20.0);
            assertThat(columns.waitMs()[p]).isEqualTo(3.0);
            assertThat(columns.devices().get(0).util()[p]).isEqualTo(50.0);
        }
    }

    @Test
    void aShortRunKeepsEveryStep() {
        ChartSeries series = new ChartSeries(1);
        for (long step = 1; step <= 10; step++) {
            series.add(Steps.record(step, 10, 1), List.of(Steps.gpu(step, step * 10)));
        }
        ChartSeries.Columns columns = series.columns(List.of("gpu0"));
        assertThat(columns.stride()).isEqualTo(1);
        assertThat(columns.step()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(columns.devices().get(0).util()[9]).isEqualTo(100.0);
        assertThat(columns.devices().get(0).memory()[0]).isEqualTo((double) (1L << 30));
    }
}
