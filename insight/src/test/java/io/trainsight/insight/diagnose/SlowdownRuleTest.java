package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The slowdown finding on scripted step series, with the cause read from the other signals. */
class SlowdownRuleTest {

    private final List<Finding> announced = new ArrayList<>();
    private final Random random = new Random(9);

    private Diagnoser diagnoser() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static List<Finding> slowdowns(List<Finding> findings) {
        return findings.stream().filter(f -> f.kind() == FindingKind.SLOWDOWN).toList();
    }

    /** A noisy step (±30 %) around a compute time, with a small data wait. */
    private double noisy(double computeMs) {
        return computeMs * (0.7 + 0.6 * random.nextDouble());
    }

    @Test
    void computeTimeRisingOverTheRunIsASlowdownWithItsCause() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 2000; step++) {
            // the live arrays climb and compute time with them: 10 ms to 25 ms
            double compute = noisy(10 + 15.0 * step / 2000);
            diagnoser.onStep(
                    Steps.record(step, compute + 0.2, 0.2),
                    List.of(),
                    Signals.step().arrays(20 + step, "model 'leak'").build(),
                    2000 - step);
        }
        List<Finding> slowdowns = slowdowns(diagnoser.findings());
        assertThat(slowdowns).hasSize(1);
        Finding slowdown = slowdowns.get(0);
        assertThat(slowdown.severity()).isEqualTo(Severity.WARNING);
        assertThat(slowdown.device()).isEqualTo("steps");
        assertThat((double) slowdown.evidence().get("slowdown")).isBetween(2.0, 2.8);
        assertThat((double) slowdown.evidence().get("trend_r2")).isGreaterThan(0.3);
        assertThat((String) slowdown.evidence().get("likely_cause")).startsWith("live NDArrays");
        assertThat(slowdown.summary()).contains("compute time per step rose from");
        assertThat((long) slowdowns(announced).get(0).evidence().get("raised_at_step"))
                .as("raised live once the run is long enough to judge")
                .isBetween(500L, 1500L);
    }

    @Test
    void aSlowdownThatComesWithGcTimeNamesGc() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 1500; step++) {
            double gc = 8.0 * step / 1500;
            double compute = noisy(10) + gc;
            diagnoser.onStep(
                    Steps.record(step, compute + 0.2, 0.2),
                    List.of(),
                    Signals.step().gc(gc).build(),
                    -1);
        }
        Finding slowdown = slowdowns(diagnoser.findings()).get(0);
        assertThat((String) slowdown.evidence().get("likely_cause")).startsWith("GC: pauses went");
    }

    @Test
    void aNoisyButFlatRunIsNoSlowdown() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 3000; step++) {
            double compute = noisy(10) * (random.nextInt(50) == 0 ? 4 : 1);
            diagnoser.onStep(
                    Steps.record(step, compute + 0.2, 0.2), List.of(), Signals.step().build(), -1);
        }
        assertThat(slowdowns(diagnoser.findings())).isEmpty();
        assertThat(slowdowns(announced)).isEmpty();
    }

    @Test
    void aHealthyFlatRunIsNoSlowdown() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 1000; step++) {
            diagnoser.onStep(Steps.record(step, 10, 0.2), List.of(), Signals.step().build(), -1);
        }
        assertThat(diagnoser.findings()).isEmpty();
    }

    @Test
    void aShortRunIsNotJudged() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 400; step++) {
            double compute = 10 + 20.0 * step / 400;
            diagnoser.onStep(
                    Steps.record(step, compute + 0.2, 0.2), List.of(), Signals.step().build(), -1);
        }
        assertThat(slowdowns(diagnoser.findings()))
                .as("400 steps, below slowdown-min-steps (500)")
                .isEmpty();
    }
}
