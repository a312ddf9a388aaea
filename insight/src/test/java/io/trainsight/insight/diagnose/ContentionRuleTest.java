package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import io.trainsight.insight.internal.correlate.StepInsight;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contention finding on scripted host load: a run on a busy host gets it and not low
 * utilisation; the same run alone gets neither.
 */
class ContentionRuleTest {

    private final List<Finding> announced = new ArrayList<>();
    private final Random random = new Random(4);

    private Diagnoser host() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    /** The host standing in for a GPU: the process's CPU share of its cores. */
    private static StepInsight hostRow(long step, double util) {
        return new StepInsight(
                step,
                "host",
                1,
                false,
                util,
                util,
                util,
                300L << 20,
                16L << 30,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0);
    }

    private static List<FindingKind> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).distinct().toList();
    }

    @Test
    void aRunWhileTwoBusyProcessesTakeTheCoresIsContentionNotLowUtilization() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 300; step++) {
            // two spinning neighbours and the run's two threads on two cores: the run gets a
            // fifth of the machine, others the rest, four threads runnable
            double process = 18 + random.nextDouble() * 6;
            diagnoser.onStep(
                    Steps.record(step, 25, 0.2),
                    List.of(hostRow(step, process)),
                    Signals.step().load(100, process, 4 + random.nextInt(2), 2).threads(2).build(),
                    300 - step);
        }
        List<Finding> findings = diagnoser.findings();
        assertThat(kinds(findings))
                .contains(FindingKind.CONTENTION)
                .doesNotContain(FindingKind.LOW_UTILIZATION);
        Finding contention =
                findings.stream()
                        .filter(f -> f.kind() == FindingKind.CONTENTION)
                        .findFirst()
                        .orElseThrow();
        assertThat(contention.device()).isEqualTo("host");
        assertThat(contention.severity()).isEqualTo(Severity.WARNING);
        assertThat((double) contention.evidence().get("contended_share")).isEqualTo(1.0);
        assertThat((double) contention.evidence().get("other_processes_cpu_percent"))
                .isBetween(76.0, 82.0);
        assertThat(contention.evidence()).containsEntry("oversubscribed", false);
        assertThat(contention.summary()).contains("other processes took 79 % of the machine's");
        assertThat(kinds(announced)).doesNotContain(FindingKind.LOW_UTILIZATION);
    }

    @Test
    void theSameRunAloneGetsNeither() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 300; step++) {
            double process = 90 + random.nextDouble() * 8;
            diagnoser.onStep(
                    Steps.record(step, 5, 0.05),
                    List.of(hostRow(step, process)),
                    Signals.step()
                            .load(process + 2, process, 1 + random.nextInt(2), 2)
                            .threads(2)
                            .build(),
                    300 - step);
        }
        assertThat(diagnoser.findings()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void lowUtilizationOnAQuietHostIsStillLowUtilization() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 200; step++) {
            diagnoser.onStep(
                    Steps.record(step, 5, 0.05),
                    List.of(hostRow(step, 12)),
                    Signals.step().load(14, 12, 1, 2).build(),
                    0);
        }
        assertThat(kinds(diagnoser.findings())).containsExactly(FindingKind.LOW_UTILIZATION);
    }

    @Test
    void busyNeighboursWithCoresToSpareAreNotContention() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 200; step++) {
            // sixteen cores, others take 40 %, six threads runnable: nobody waits for a core
            diagnoser.onStep(
                    Steps.record(step, 5, 0.05),
                    List.of(hostRow(step, 95)),
                    Signals.step().load(52, 12, 6, 16).build(),
                    0);
        }
        assertThat(kinds(diagnoser.findings())).doesNotContain(FindingKind.CONTENTION);
    }

    @Test
    void ownThreadsBeyondTheCoresAreNamedOverSubscribed() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 200; step++) {
            diagnoser.onStep(
                    Steps.record(step, 5, 0.05),
                    List.of(hostRow(step, 30)),
                    Signals.step().load(100, 30, 7, 2).threads(4).build(),
                    0);
        }
        Finding contention =
                diagnoser.findings().stream()
                        .filter(f -> f.kind() == FindingKind.CONTENTION)
                        .findFirst()
                        .orElseThrow();
        assertThat(contention.evidence()).containsEntry("oversubscribed", true);
        assertThat(contention.summary()).contains("it keeps 4 threads busy on 2 cores");
    }
}
