package io.trainsight.insight.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.insight.Steps;
import io.trainsight.insight.internal.correlate.StepInsight;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scripted long runs (200,000 steps of a run planned for 99,999,999,999,999): the live diagnosis
 * must not announce the same finding over and over, and a memory that barely moves must never be
 * projected into an OOM.
 */
class LongRunDiagnosisTest {

    private static final long PLANNED = 99_999_999_999_999L;
    private static final long STEPS = 200_000;
    private static final long CAPACITY = 24L << 30;

    private final List<Finding> announced = new ArrayList<>();

    private Diagnoser host() {
        return new Diagnoser(
                DiagnosisThresholds.defaults(), List.of("host"), List.of(true), announced::add);
    }

    private static StepInsight host(long step, double cpu, long memory) {
        return new StepInsight(
                step, "host", 2, false, cpu, cpu, cpu, memory, CAPACITY, -1, -1, -1, 0);
    }

    private List<Finding> announced(FindingKind kind) {
        return announced.stream().filter(f -> f.kind() == kind).toList();
    }

    @Test
    void residentMemoryThatStepsUpNowAndThenIsNoOomRiskOnAnEndlessRun() {
        Diagnoser diagnoser = host();
        Random random = new Random(3);
        for (long step = 1; step <= STEPS; step++) {
            // the allocator grows the heap by 2 MiB every 500 steps; a few KiB of noise
            long memory = (600L << 20) + (step / 500) * (2L << 20) + random.nextInt(16 << 10);
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1), List.of(host(step, 95, memory)), PLANNED - step);
        }
        assertThat(announced(FindingKind.OOM_RISK))
                .as("a slope under a MiB per step projects no OOM")
                .isEmpty();
        assertThat(diagnoser.findings())
                .extracting(Finding::kind)
                .doesNotContain(FindingKind.OOM_RISK);
    }

    @Test
    void aFlatMemoryIsNeverProjectedIntoAnOomHoweverLongTheRun() {
        Diagnoser diagnoser = host();
        for (long step = 1; step <= 20_000; step++) {
            // one byte per step: a perfect line, R² 1
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(host(step, 95, (600L << 20) + step)),
                    PLANNED - step);
        }
        assertThat(announced(FindingKind.OOM_RISK)).isEmpty();
    }

    @Test
    void aUtilisationThatComesAndGoesForHoursIsAnnouncedAFewTimesNotOncePerEpisode() {
        Diagnoser diagnoser = host();
        Random random = new Random(5);
        for (long step = 1; step <= STEPS; step++) {
            // 400 steps mostly idle, 100 busy, again and again: a new episode every 500 steps
            boolean idle = step % 500 < 400;
            double cpu = idle ? 10 + random.nextDouble() * 10 : 60 + random.nextDouble() * 20;
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(host(step, cpu, 600L << 20)),
                    PLANNED - step);
        }
        List<Finding> episodes =
                diagnoser.liveFindings().stream()
                        .filter(f -> f.kind() == FindingKind.LOW_UTILIZATION)
                        .toList();
        assertThat(episodes).as("every episode is kept (up to a bound)").hasSizeGreaterThan(200);
        // the 1st, 2nd, 4th, 8th ... episode is announced: 9 lines for 400 episodes
        assertThat(announced(FindingKind.LOW_UTILIZATION)).hasSizeBetween(2, 10);
        assertThat(announced(FindingKind.LOW_UTILIZATION).get(1).evidence())
                .containsEntry("episode", 2L);
    }

    @Test
    void aMeasureWobblingAroundItsClearingLevelStaysOneFinding() {
        Diagnoser diagnoser = host();
        Random random = new Random(9);
        for (long step = 1; step <= STEPS; step++) {
            // the share of low steps hovers around the threshold (half of the steps): short dips
            // below the clearing level come and go within a window
            double cpu = random.nextDouble() < 0.5 ? 20 : 50;
            diagnoser.onStep(
                    Steps.record(step, 20, 0.1),
                    List.of(host(step, cpu, 600L << 20)),
                    PLANNED - step);
        }
        long episodes =
                diagnoser.liveFindings().stream()
                        .filter(f -> f.kind() == FindingKind.LOW_UTILIZATION)
                        .count();
        // it clears only after a whole window below its clearing level: rare, so few episodes,
        // and of those the 1st, 2nd, 4th... are announced
        assertThat(episodes).as("episodes in 200,000 steps").isLessThan(50);
        assertThat(announced(FindingKind.LOW_UTILIZATION))
                .hasSizeLessThanOrEqualTo(1 + 63 - Long.numberOfLeadingZeros(episodes));
    }
}
