package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gc finding on scripted steps and pauses. */
class GcRuleTest {

    private final List<Finding> announced = new ArrayList<>();

    private Diagnoser diagnoser() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static List<Finding> of(List<Finding> findings, FindingKind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    @Test
    void pausesTakingAFifthOfStepTimeArePressure() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 200; step++) {
            diagnoser.onStep(
                    Steps.record(step, 10, 0.1), List.of(), Signals.step().gc(2).build(), 0);
        }
        List<Finding> gc = of(diagnoser.findings(), FindingKind.GC);
        assertThat(gc).hasSize(1);
        Finding finding = gc.get(0);
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
        assertThat(finding.title()).isEqualTo("GC pressure");
        assertThat(finding.device()).isEqualTo("jvm");
        assertThat((double) finding.evidence().get("gc_pause_share")).isEqualTo(0.2);
        assertThat(finding.evidence().get("collectors")).isEqualTo(List.of("G1 Young Generation"));
        assertThat(finding.evidence()).containsKey("first_raised_live_at_step");
        assertThat(finding.summary()).contains("paused the JVM 20.0 % of step time (195 pauses");
        assertThat(of(announced, FindingKind.GC)).as("raised live once").hasSize(1);
    }

    @Test
    void aPauseStallingOneStepInNineteenIsFlaggedThoughTheShareIsLow() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 600; step++) {
            boolean paused = step % 19 == 0;
            diagnoser.onStep(
                    Steps.record(step, paused ? 35 : 10, 0.1),
                    List.of(),
                    paused ? Signals.step().gc(20).build() : Signals.step().build(),
                    0);
        }
        List<Finding> gc = of(diagnoser.findings(), FindingKind.GC);
        assertThat(gc).hasSize(1);
        assertThat(gc.get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(gc.get(0).title()).isEqualTo("GC pauses stall steps");
        assertThat((double) gc.get(0).evidence().get("gc_pause_share")).isLessThan(0.10);
        assertThat(gc.get(0).scope()).isEqualTo(Finding.RUN);
        // the first pause with 25 steps before it to measure the median against
        assertThat((long) gc.get(0).evidence().get("gc_stalled_steps")).isEqualTo(30);
        assertThat(gc.get(0).firstStep()).isEqualTo(38);
    }

    @Test
    void aHealthyRunWithARarePauseIsNotFlagged() {
        Diagnoser diagnoser = diagnoser();
        Random random = new Random(5);
        for (long step = 1; step <= 1000; step++) {
            Signals signals = Signals.step();
            if (step % 150 == 0) {
                signals.gc(3);
            }
            diagnoser.onStep(
                    Steps.record(step, 9 + random.nextDouble() * 2, 0.1),
                    List.of(),
                    signals.build(),
                    1000 - step);
        }
        assertThat(diagnoser.findings()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void oneLongPauseAmongShortStepsIsNotPressure() {
        // A young collection of 23 ms in a window of 1.6 ms steps is 28 % of the window's time,
        // but one pause is a stall, not pressure.
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 300; step++) {
            boolean paused = step == 296;
            diagnoser.onStep(
                    Steps.record(step, paused ? 24.6 : 1.6, 0.01),
                    List.of(),
                    paused ? Signals.step().gc(23).build() : Signals.step().build(),
                    300 - step);
        }
        assertThat(of(diagnoser.findings(), FindingKind.GC)).isEmpty();
        assertThat(of(announced, FindingKind.GC)).isEmpty();
    }

    @Test
    void aNoisyButFlatRunWithSmallPausesIsNotFlagged() {
        Diagnoser diagnoser = diagnoser();
        Random random = new Random(11);
        for (long step = 1; step <= 1000; step++) {
            Signals signals = Signals.step();
            if (random.nextInt(5) == 0) {
                signals.gc(random.nextDouble() * 0.5);
            }
            diagnoser.onStep(
                    Steps.record(step, 5 + random.nextDouble() * 10, 0.1),
                    List.of(),
                    signals.build(),
                    -1);
        }
        assertThat(diagnoser.findings()).isEmpty();
    }

    @Test
    void withoutGcTrackingThereIsNoGcFinding() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 200; step++) {
            diagnoser.onStep(Steps.record(step, 10, 0.1), List.of(), 0);
        }
        assertThat(of(diagnoser.findings(), FindingKind.GC)).isEmpty();
    }
}
