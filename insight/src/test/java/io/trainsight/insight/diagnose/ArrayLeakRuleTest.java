package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ndarray-leak finding on scripted array counts. */
class ArrayLeakRuleTest {

    private static final String MODEL = "model 'mlp'";
    private static final String SITE = "com.acme.Net.forwardInternal(Net.java:42)";

    private final List<Finding> announced = new ArrayList<>();

    private Diagnoser diagnoser() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static List<Finding> leaks(List<Finding> findings) {
        return findings.stream().filter(f -> f.kind() == FindingKind.NDARRAY_LEAK).toList();
    }

    @Test
    void arraysGrowingThreePerStepAreALeakNamingTheManagerAndTheSite() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 300; step++) {
            Signals signals = Signals.step().arrays(20 + 3 * step, MODEL);
            if (step >= 60) {
                signals.site(SITE);
            }
            diagnoser.onStep(Steps.record(step, 10, 0.1), List.of(), signals.build(), 300 - step);
        }
        List<Finding> leaks = leaks(diagnoser.findings());
        assertThat(leaks).hasSize(1);
        Finding leak = leaks.get(0);
        assertThat(leak.scope()).isEqualTo(Finding.RUN);
        assertThat(leak.severity()).isEqualTo(Severity.WARNING);
        assertThat((double) leak.evidence().get("arrays_per_step")).isEqualTo(3.0);
        assertThat((double) leak.evidence().get("trend_r2")).isEqualTo(1.0);
        assertThat(leak.evidence()).containsEntry("growing_manager", MODEL);
        assertThat(leak.evidence()).containsEntry("allocation_site", SITE);
        assertThat(leak.evidence()).containsEntry("live_arrays_last", 920L);
        assertThat(leak.summary())
                .contains("live NDArrays grow 3.00 per step")
                .contains("most of them in model 'mlp'")
                .contains("created at " + SITE);
        assertThat(leaks(announced)).as("raised live once, early").hasSize(1);
        assertThat((long) leaks(announced).get(0).evidence().get("raised_at_step")).isLessThan(40);
    }

    @Test
    void countsTakenEveryFewStepsShowTheLeakAsWell() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 300; step++) {
            Signals signals = Signals.step();
            if (step % 4 == 0) {
                signals.arrays(10 + step, MODEL);
            }
            diagnoser.onStep(Steps.record(step, 10, 0.1), List.of(), signals.build(), -1);
        }
        assertThat(leaks(diagnoser.findings())).hasSize(1);
    }

    @Test
    void aFlatCountIsNoLeak() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 500; step++) {
            diagnoser.onStep(
                    Steps.record(step, 10, 0.1),
                    List.of(),
                    Signals.step().arrays(18, null).build(),
                    500 - step);
        }
        assertThat(diagnoser.findings()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void aNoisyButFlatCountIsNoLeak() {
        Diagnoser diagnoser = diagnoser();
        Random random = new Random(2);
        for (long step = 1; step <= 2000; step++) {
            // per-step temporaries sometimes still alive when counted
            long arrays = 18 + random.nextInt(6);
            diagnoser.onStep(
                    Steps.record(step, 10, 0.1),
                    List.of(),
                    Signals.step().arrays(arrays, arrays > 20 ? MODEL : null).build(),
                    -1);
        }
        assertThat(leaks(diagnoser.findings())).isEmpty();
        assertThat(leaks(announced)).isEmpty();
    }

    @Test
    void aSlowGrowthBelowTheThresholdIsNotFlaggedUntilItIsConfiguredSo() {
        for (double threshold : new double[] {0.25, 0.05}) {
            announced.clear();
            Diagnoser diagnoser =
                    new Diagnoser(
                            DiagnosisThresholds.builder()
                                    .set("leak-arrays-per-step", threshold)
                                    .build(),
                            List.of("host"),
                            List.of(true),
                            announced::add);
            for (long step = 1; step <= 400; step++) {
                diagnoser.onStep(
                        Steps.record(step, 10, 0.1),
                        List.of(),
                        Signals.step().arrays(10 + step / 10, MODEL).build(),
                        -1);
            }
            assertThat(leaks(diagnoser.findings()))
                    .as("one array every 10 steps against %s per step", threshold)
                    .hasSize(threshold < 0.1 ? 1 : 0);
        }
    }
}
