package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.insight.timeline.PhaseTiming;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How the phase split is measured. A GPU is stood in for by an injected synchronizer (on the CPU
 * engine) that moves a scripted clock: so the test knows exactly how long each wait for "the
 * device" lasted, and that each phase was timed after it.
 */
class PhaseTimingTest {

    /**
     * Each wait for the device takes 1, 10, 100, 1000 µs … in turn; the clock moves nowhere else.
     */
    private static final class ScriptedDevice {
        final AtomicLong clock = new AtomicLong();
        final List<Long> waits = new ArrayList<>();
        int calls;

        void synchronize() {
            long wait = 1_000L * (long) Math.pow(10, calls++ % 4);
            waits.add(wait);
            clock.addAndGet(wait);
        }
    }

    private static List<StepRecord> run(TrainingLoopBuilder builder) throws Exception {
        List<StepRecord> steps = new ArrayList<>();
        try (TrainingLoop loop =
                builder.addListener(
                                new StepListener() {
                                    @Override
                                    public void onStep(StepRecord record) {
                                        steps.add(record);
                                    }
                                })
                        .build()) {
            loop.run();
        }
        return steps;
    }

    @Test
    void onTheCpuEveryStepIsTimedOnTheHostAndNothingWaits() throws Exception {
        try (MlpProblem problem = new MlpProblem(256)) {
            List<StepRecord> steps = run(problem.loop(32, false).optSteps(8).optPhaseSyncEvery(2));

            assertThat(steps)
                    .allSatisfy(
                            s -> {
                                assertThat(s.phaseTiming()).isEqualTo(PhaseTiming.HOST);
                                assertThat(s.forwardNanos()).isPositive();
                                assertThat(s.backwardNanos()).isPositive();
                            });
        }
    }

    @Test
    void onADeviceEveryNthStepIsSynchronizedAtEachPhaseBoundaryAndTheOthersAreTimedWhole()
            throws Exception {
        ScriptedDevice device = new ScriptedDevice();
        try (MlpProblem problem = new MlpProblem(256)) {
            List<StepRecord> steps =
                    run(
                            problem.loop(32, false)
                                    .optSteps(8)
                                    .optPhaseSyncEvery(4)
                                    .phaseClockForTest(device::synchronize, device.clock::get));

            assertThat(steps)
                    .extracting(StepRecord::phaseTiming)
                    .containsExactly(
                            PhaseTiming.NONE,
                            PhaseTiming.NONE,
                            PhaseTiming.NONE,
                            PhaseTiming.DEVICE,
                            PhaseTiming.NONE,
                            PhaseTiming.NONE,
                            PhaseTiming.NONE,
                            PhaseTiming.DEVICE);
            assertThat(device.calls)
                    .as(
                            "before forward, after the loss, after backward, after the update:"
                                    + " 4 waits on each of steps 4 and 8")
                    .isEqualTo(8);
            StepRecord synced = steps.get(3);
            assertThat(synced.forwardNanos())
                    .as("forward: from the wait before it to the wait after the loss")
                    .isEqualTo(10_000);
            assertThat(synced.backwardNanos()).isEqualTo(100_000);
            assertThat(synced.optimizerNanos())
                    .as("from the wait after backward to the wait after the update")
                    .isEqualTo(1_000_000);
            StepRecord whole = steps.get(0);
            assertThat(whole.forwardNanos() + whole.backwardNanos() + whole.optimizerNanos())
                    .as("a step not synchronized records no launch times as phases")
                    .isZero();
            assertThat(whole.durationNanos()).isPositive();
        }
    }

    @Test
    void everyStepOrNeverCanBeAskedFor() throws Exception {
        ScriptedDevice every = new ScriptedDevice();
        ScriptedDevice never = new ScriptedDevice();
        try (MlpProblem problem = new MlpProblem(256)) {
            List<StepRecord> all =
                    run(
                            problem.loop(32, false)
                                    .optSteps(3)
                                    .optPhaseSyncEvery(1)
                                    .phaseClockForTest(every::synchronize, every.clock::get));
            List<StepRecord> none =
                    run(
                            problem.loop(32, false)
                                    .optSteps(3)
                                    .optPhaseSyncEvery(0)
                                    .phaseClockForTest(never::synchronize, never.clock::get));

            assertThat(all).extracting(StepRecord::phaseTiming).containsOnly(PhaseTiming.DEVICE);
            assertThat(every.calls).isEqualTo(12);
            assertThat(none).extracting(StepRecord::phaseTiming).containsOnly(PhaseTiming.NONE);
            assertThat(never.calls).isZero();
        }
        try (MlpProblem problem = new MlpProblem(64)) {
            assertThatThrownBy(
                            () -> problem.loop(32, false).optSteps(1).optPhaseSyncEvery(-1).build())
                    .hasMessage(
                            "phaseSyncEvery must be 0 (never) or a positive number of steps, got"
                                    + " -1");
        }
    }
}
