package io.trainsight.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.timeline.StepRecord;
import org.junit.jupiter.api.Test;

class RunTallyTest {

    @Test
    void aLongRunComparesTheFirstAndLastWindow() {
        RunTally windows = new RunTally(3);
        feed(windows, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(windows.window()).isEqualTo(3);
        assertThat(windows.firstMean()).isEqualTo(9.0);
        assertThat(windows.lastMean()).isEqualTo(2.0);
    }

    @Test
    void aShortRunSplitsInHalvesThatDoNotOverlap() {
        RunTally windows = new RunTally(50);
        feed(windows, 4, 4, 2, 2, 9);
        assertThat(windows.window()).isEqualTo(2);
        assertThat(windows.firstMean()).isEqualTo(4.0);
        assertThat(windows.lastMean()).isEqualTo(5.5);
    }

    @Test
    void oneStepIsBothWindowsAndNoStepIsNone() {
        RunTally one = new RunTally(50);
        feed(one, 3);
        assertThat(one.window()).isEqualTo(1);
        assertThat(one.firstMean()).isEqualTo(3.0);
        assertThat(one.lastMean()).isEqualTo(3.0);
        RunTally none = new RunTally(50);
        assertThat(none.window()).isZero();
        assertThat(none.firstMean()).isNaN();
    }

    private static void feed(RunTally windows, float... losses) {
        long step = 0;
        for (float loss : losses) {
            step++;
            windows.onStep(
                    new StepRecord(step, 1, 0, 1, 0, 0, 0, 0, loss, 1, 1, 1f, Float.NaN, false));
        }
    }
}
