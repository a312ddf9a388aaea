package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stall finding: outlier steps grouped into episodes, each with what coincided. */
class StallRuleTest {

    private final List<Finding> announced = new ArrayList<>();

    private Diagnoser diagnoser() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static List<Finding> stalls(List<Finding> findings) {
        return findings.stream().filter(f -> f.kind() == FindingKind.STALL).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> episodes(Finding finding) {
        return (List<String>) finding.evidence().get("episodes");
    }

    @Test
    void outlierStepsAreGroupedIntoEpisodesWithWhatCoincided() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 400; step++) {
            double ms = 10;
            Signals signals = Signals.step();
            if (step == 100 || step == 101 || step == 103) {
                ms = 300;
                signals.gc(260);
            } else if (step == 200) {
                ms = 250;
                signals.checkpoint(400);
            } else if (step == 300 || step == 301) {
                ms = 200;
            }
            diagnoser.onStep(Steps.record(step, ms, 0.1), List.of(), signals.build(), -1);
        }
        List<Finding> stalls = stalls(diagnoser.findings());
        assertThat(stalls).hasSize(1);
        Finding stall = stalls.get(0);
        assertThat(stall.scope()).isEqualTo(Finding.RUN);
        assertThat(stall.firstStep()).isEqualTo(100);
        assertThat(stall.lastStep()).isEqualTo(301);
        assertThat(episodes(stall)).hasSize(3);
        assertThat(episodes(stall).get(0))
                .startsWith(
                        "100-103: 870.0 ms lost, up to 30.0x the median; gc (GC pauses 780.0 ms");
        assertThat(episodes(stall).get(1))
                .startsWith("200: 240.0 ms lost")
                .contains("; checkpoint");
        assertThat(episodes(stall).get(2))
                .startsWith("300-301: 380.0 ms lost")
                .contains("; unexplained");
        assertThat(stall.evidence().get("causes"))
                .isEqualTo(List.of("checkpoint: 1", "gc: 1", "unexplained: 1"));
        assertThat((long) stall.evidence().get("stall_steps")).isEqualTo(6);
        assertThat(stall.advice()).contains("checkpoint less often").contains("more heap");
    }

    @Test
    void aNoisyRunWithTheOddSlowStepHasNoStall() {
        Diagnoser diagnoser = diagnoser();
        Random random = new Random(3);
        for (long step = 1; step <= 2000; step++) {
            double ms = 5 + random.nextDouble() * 10;
            if (random.nextInt(100) == 0) {
                ms *= 4; // slow, but under 5x the median
            }
            if (step == 1000) {
                ms = 80; // one real outlier, 70 ms lost: less than 200 ms
            }
            diagnoser.onStep(Steps.record(step, ms, 0.1), List.of(), Signals.step().build(), -1);
        }
        assertThat(stalls(diagnoser.findings())).isEmpty();
        assertThat(stalls(announced)).isEmpty();
    }

    @Test
    void aHealthyRunHasNoStall() {
        Diagnoser diagnoser = diagnoser();
        for (long step = 1; step <= 500; step++) {
            diagnoser.onStep(Steps.record(step, 10, 0.1), List.of(), Signals.step().build(), -1);
        }
        assertThat(diagnoser.findings()).isEmpty();
    }
}
