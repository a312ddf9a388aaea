package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Signals;
import io.trainsight.insight.Steps;
import io.trainsight.insight.internal.correlate.StepInsight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input-bound for the right reason: with the cores saturated during the waits the input pipeline is
 * CPU-bound and more workers cannot help; more workers are advised only with idle CPU.
 */
class InputBoundReasonTest {

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

    private static Finding inputBound(double machineCpu, double processCpu) {
        Diagnoser diagnoser =
                new Diagnoser(
                        DiagnosisThresholds.defaults(), List.of("host"), List.of(true), f -> {});
        for (long step = 1; step <= 200; step++) {
            diagnoser.onStep(
                    Steps.record(step, 20, 8),
                    List.of(hostRow(step, processCpu)),
                    Signals.step().load(machineCpu, processCpu, 2, 2).threads(2).build(),
                    0);
        }
        return diagnoser.findings().stream()
                .filter(f -> f.kind() == FindingKind.INPUT_BOUND)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void cpuSaturatedDuringTheWaitsIsACpuBoundPipelineNotAWorkerShortage() {
        // the 64-feature CSV with 2 workers on 2 cores: the process keeps both cores busy
        Finding finding = inputBound(97, 92);
        assertThat(finding.title()).isEqualTo("highly input-bound");
        assertThat(finding.evidence()).containsEntry("input_pipeline", "cpu-bound");
        assertThat(finding.summary()).contains("the input pipeline is CPU-bound");
        assertThat(finding.advice())
                .contains("more loader workers cannot help")
                .doesNotContain("more loader workers (--workers)");
    }

    @Test
    void idleCpuDuringTheWaitsStillAdvisesMoreWorkers() {
        Finding finding = inputBound(35, 30);
        assertThat(finding.evidence()).containsEntry("input_pipeline", "idle cpu during waits");
        assertThat(finding.advice()).contains("more loader workers (--workers)");
    }

    @Test
    void cpuTakenByOtherProcessesPointsAtThem() {
        Finding finding = inputBound(100, 25);
        assertThat(finding.evidence())
                .containsEntry("input_pipeline", "cpu taken by other processes");
        assertThat(finding.advice()).contains("Other processes take the cores");
    }

    @Test
    void aTenthOfAMillisecondPerStepIsNoFindingWhateverItsShare() {
        // the default mlp job: its batch gathered on the training thread in 0.1 ms of a 0.9 ms
        // step (11 %); a loader thread would cost more to hand it over
        Diagnoser diagnoser =
                new Diagnoser(
                        DiagnosisThresholds.defaults(), List.of("host"), List.of(true), f -> {});
        for (long step = 1; step <= 600; step++) {
            diagnoser.onStep(
                    Steps.record(step, 0.9, 0.1),
                    List.of(hostRow(step, 90)),
                    Signals.step().build(),
                    0);
        }
        assertThat(diagnoser.findings()).noneMatch(f -> f.kind() == FindingKind.INPUT_BOUND);

        // its first 150 steps, while the JIT compiles the gathering code: 0.34 ms of 1.3 ms
        Diagnoser warmingUp =
                new Diagnoser(
                        DiagnosisThresholds.defaults(), List.of("host"), List.of(true), f -> {});
        for (long step = 1; step <= 150; step++) {
            warmingUp.onStep(
                    Steps.record(step, 1.3, 0.34),
                    List.of(hostRow(step, 90)),
                    Signals.step().build(),
                    0);
        }
        assertThat(warmingUp.findings()).noneMatch(f -> f.kind() == FindingKind.INPUT_BOUND);

        Diagnoser strict =
                new Diagnoser(
                        DiagnosisThresholds.builder().set("input-bound-min-ms", 0.05).build(),
                        List.of("host"),
                        List.of(true),
                        f -> {});
        for (long step = 1; step <= 600; step++) {
            strict.onStep(
                    Steps.record(step, 0.9, 0.1),
                    List.of(hostRow(step, 90)),
                    Signals.step().build(),
                    0);
        }
        assertThat(strict.findings())
                .filteredOn(f -> f.kind() == FindingKind.INPUT_BOUND)
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).containsEntry("threshold_min_ms", 0.05));
    }
}
