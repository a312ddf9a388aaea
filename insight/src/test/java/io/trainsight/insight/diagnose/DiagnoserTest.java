package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Steps;
import io.trainsight.insight.internal.correlate.StepInsight;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each rule on scripted steps: what it must flag, and what it must not. */
class DiagnoserTest {

    private final List<Finding> announced = new ArrayList<>();

    private Diagnoser gpu() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("gpu0"), List.of(false), announced::add);
    }

    private Diagnoser host() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static List<FindingKind> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).distinct().toList();
    }

    @Test
    void aRunWaitingHalfItsTimeIsHighlyInputBound() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(Steps.record(step, 20, 10), List.of(), 100 - step);
        }
        List<Finding> findings = diagnoser.findings();
        assertThat(kinds(findings)).containsExactly(FindingKind.INPUT_BOUND);
        Finding run = findings.get(0);
        assertThat(run.scope()).isEqualTo(Finding.RUN);
        assertThat(run.severity()).isEqualTo(Severity.WARNING);
        assertThat(run.title()).isEqualTo("highly input-bound");
        assertThat(run.firstStep()).as("warm-up steps left out").isEqualTo(6);
        assertThat(run.lastStep()).isEqualTo(100);
        assertThat((double) run.evidence().get("data_wait_share")).isEqualTo(0.5);
        assertThat(run.evidence()).containsKey("first_raised_live_at_step");
        assertThat(announced).as("raised live once").hasSize(1);
        assertThat(announced.get(0).scope()).isEqualTo(Finding.LIVE);
    }

    @Test
    void aTenthOfTheStepWaitingIsModeratelyInputBound() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(Steps.record(step, 20, 2), List.of(), 100 - step);
        }
        Finding finding = diagnoser.findings().get(0);
        assertThat(finding.kind()).isEqualTo(FindingKind.INPUT_BOUND);
        assertThat(finding.severity()).isEqualTo(Severity.INFO);
        assertThat(finding.title()).isEqualTo("moderately input-bound");
        assertThat(finding.summary()).contains("data wait is 10.0 % of step time");
    }

    @Test
    void aComputeBoundRunIsNotFlagged() {
        Diagnoser diagnoser = gpu();
        Random random = new Random(3);
        for (long step = 1; step <= 500; step++) {
            double wait = random.nextDouble() * 0.4; // under 2 % of a 20 ms step
            diagnoser.onStep(
                    Steps.record(step, 20, wait),
                    List.of(Steps.gpu(step, 90 + random.nextInt(10))),
                    500 - step);
        }
        assertThat(diagnoser.findings()).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void aBusyGpuDuringTheWaitIsNotInputBound() {
        Diagnoser diagnoser = gpu();
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(Steps.record(step, 20, 10), List.of(Steps.gpu(step, 95)), 0);
        }
        assertThat(kinds(diagnoser.findings())).doesNotContain(FindingKind.INPUT_BOUND);
    }

    @Test
    void lowUtilisationWithoutDataWaitIsFlagged() {
        Diagnoser diagnoser = gpu();
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(Steps.record(step, 5, 0.05), List.of(Steps.gpu(step, 12)), 0);
        }
        List<Finding> findings = diagnoser.findings();
        assertThat(kinds(findings)).containsExactly(FindingKind.LOW_UTILIZATION);
        assertThat(findings.get(0).summary())
                .contains("GPU utilisation below 30 % in 100.0 % of steps (mean 12.0 %)");
    }

    @Test
    void aNoisyRunAroundTheThresholdDoesNotFlap() {
        Diagnoser diagnoser = host();
        Random random = new Random(7);
        // The share hovers around the moderate threshold (5 %): from 4.1 % to 7.9 %, never
        // below the clearing level (80 % of it, 4 %).
        for (long step = 1; step <= 2000; step++) {
            double share = 0.041 + random.nextDouble() * 0.038;
            diagnoser.onStep(Steps.record(step, 20, 20 * share), List.of(), 2000 - step);
        }
        assertThat(announced).as("raised once, not once per crossing").hasSize(1);
        assertThat(diagnoser.liveFindings()).hasSize(1);
        assertThat(diagnoser.liveFindings().get(0).lastStep()).isEqualTo(2000);
    }

    @Test
    void aFindingClearsBelowItsClearingLevelAndIsRaisedAgainLater() {
        Diagnoser diagnoser = host();
        long step = 0;
        for (int phase = 0; phase < 4; phase++) {
            double wait = phase % 2 == 0 ? 8 : 0.1;
            for (int i = 0; i < 200; i++) {
                step++;
                diagnoser.onStep(Steps.record(step, 20, wait), List.of(), -1);
            }
        }
        List<Finding> live = diagnoser.liveFindings();
        assertThat(live).hasSize(2);
        assertThat(live.get(0).evidence()).containsKey("cleared_at_step");
        assertThat(live.get(0).lastStep()).isBetween(200L, 260L);
        assertThat((long) live.get(1).evidence().get("raised_at_step")).isGreaterThan(400);
        assertThat(live.get(1).firstStep()).as("the window that showed it").isGreaterThan(350);
        // Two raises; the second may have been announced once more as it grew more severe.
        assertThat(announced.stream().filter(f -> !f.evidence().containsKey("escalated_at_step")))
                .hasSize(2);
    }

    @Test
    void memoryAtNinetyPercentOfCapacityIsAnOomRisk() {
        Diagnoser diagnoser = gpu();
        long capacity = 80L << 30;
        for (long step = 1; step <= 100; step++) {
            long memory = step > 60 ? (long) (capacity * 0.93) : capacity / 2;
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(Steps.gpu(step, 95, memory, capacity, 0)),
                    100 - step);
        }
        Finding finding = diagnoser.findings().get(0);
        assertThat(finding.kind()).isEqualTo(FindingKind.OOM_RISK);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.firstStep()).isEqualTo(61);
        assertThat(finding.summary())
                .startsWith("the run's own GPU memory peaked at 93.0 % of capacity");
    }

    @Test
    void memoryGrowingStepOverStepIsAnOomRiskBeforeItGetsNearTheLimit() {
        Diagnoser diagnoser = gpu();
        long capacity = 8L << 30;
        long perStep = 20L << 20;
        long raisedAtMemory = -1;
        for (long step = 1; step <= 300; step++) {
            long memory = (1L << 30) + step * perStep + (step % 3) * (1L << 20);
            StepInsight insight = Steps.gpu(step, 95, memory, capacity, 0);
            diagnoser.onStep(Steps.record(step, 20, 0.1), List.of(insight), 400 - step);
            if (raisedAtMemory < 0 && !announced.isEmpty()) {
                raisedAtMemory = memory;
            }
        }
        assertThat(announced).hasSize(1);
        Finding raised = announced.get(0);
        assertThat(raised.kind()).isEqualTo(FindingKind.OOM_RISK);
        assertThat(raised.title()).isEqualTo("OOM risk: memory growing");
        assertThat(raisedAtMemory).as("raised at a third of capacity").isLessThan(capacity / 3);
        assertThat((long) raised.evidence().get("slope_bytes_per_step"))
                .isBetween(perStep - (1L << 20), perStep + (1L << 20));
        assertThat(raised.evidence().get("steps_to_capacity")).isNotNull();
        // The whole run never passed 90 %, so the run's findings keep the live one.
        assertThat(diagnoser.findings()).extracting(Finding::scope).containsExactly(Finding.LIVE);
    }

    @Test
    void aFlatMemoryFarFromTheLimitIsNoRisk() {
        Diagnoser diagnoser = gpu();
        Random random = new Random(1);
        for (long step = 1; step <= 300; step++) {
            long memory = (4L << 30) + random.nextInt(64 << 20);
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(Steps.gpu(step, 95, memory, 80L << 30, 0)),
                    10_000);
        }
        assertThat(diagnoser.findings()).isEmpty();
    }

    @Test
    void throttleBitsDuringSlowStepsAreAWarningNamingTheReasons() {
        Diagnoser diagnoser = gpu();
        for (long step = 1; step <= 200; step++) {
            boolean hot = step % 5 == 0;
            diagnoser.onStep(
                    Steps.record(step, hot ? 30 : 20, 0.1),
                    List.of(Steps.gpu(step, 95, 1L << 30, 80L << 30, hot ? 0x4 | 0x40 : 0x1)),
                    0);
        }
        Finding finding = diagnoser.findings().get(0);
        assertThat(finding.kind()).isEqualTo(FindingKind.THROTTLED);
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
        assertThat(finding.evidence().get("reasons"))
                .isEqualTo(List.of("SwPowerCap", "HwThermalSlowdown"));
        assertThat((double) finding.evidence().get("slowdown")).isEqualTo(1.5);
        assertThat(finding.summary()).contains("during 39 of 195 steps");
    }

    @Test
    void anIdleBitAloneIsNotThrottling() {
        Diagnoser diagnoser = gpu();
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(Steps.gpu(step, 95, 1L << 30, 80L << 30, 0x1)),
                    0);
        }
        assertThat(diagnoser.findings()).isEmpty();
    }

    @Test
    void anOutOfMemoryIsAFindingWithTheTrendBeforeIt() {
        Diagnoser diagnoser = gpu();
        for (long step = 1; step <= 80; step++) {
            long memory = (1L << 30) + step * (50L << 20);
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(Steps.gpu(step, 95, memory, 80L << 30, 0)),
                    -1);
        }
        diagnoser.onOutOfMemory(81, "CUDA out of memory. Tried to allocate 2.00 GiB\nmore");
        Finding finding =
                diagnoser.findings().stream()
                        .filter(f -> f.kind() == FindingKind.OUT_OF_MEMORY)
                        .findFirst()
                        .orElseThrow();
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.firstStep()).isEqualTo(81);
        assertThat(finding.evidence().get("message"))
                .isEqualTo("CUDA out of memory. Tried to allocate 2.00 GiB");
        assertThat(finding.summary()).contains("growing 50 MiB per step");
    }

    @Test
    void thresholdsAreConfigurableAndCheckedByName() {
        DiagnosisThresholds strict =
                DiagnosisThresholds.builder()
                        .set("input-bound-moderate", 0.2)
                        .set("input-bound-high", 0.6)
                        .build();
        Diagnoser diagnoser = new Diagnoser(strict, List.of("host"), List.of(true), announced::add);
        for (long step = 1; step <= 100; step++) {
            diagnoser.onStep(Steps.record(step, 20, 2), List.of(), 0);
        }
        assertThat(diagnoser.findings()).isEmpty();
        assertThat(strict.toMap()).containsEntry("input-bound-high", 0.6);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DiagnosisThresholds.builder().set("oom-peak-share", 1.5).build())
                .hasMessage("oom-peak-share must be a share above 0 and at most 1, got 1.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DiagnosisThresholds.builder().set("nope", 1))
                .hasMessageStartingWith("unknown threshold 'nope'; valid: input-bound-high,");
    }
}
