package io.trainsight.insight;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;

/** Scripted steps and insights for the rule tests: one step every {@code durationMs}. */
public final class Steps {

    private static final long MS = 1_000_000;

    private Steps() {}

    /**
     * A step of 32 samples starting at {@code (step - 1) * durationMs}.
     *
     * @param step the step
     * @param durationMs its duration
     * @param waitMs its data wait
     * @return the record
     */
    public static StepRecord record(long step, double durationMs, double waitMs) {
        long start = (step - 1) * Math.round(durationMs * MS);
        long duration = Math.round(durationMs * MS);
        long wait = Math.round(waitMs * MS);
        long compute = duration - wait;
        return new StepRecord(
                step,
                1,
                start,
                start + duration,
                wait,
                compute / 2,
                compute / 3,
                compute / 6,
                1.0f / step,
                32,
                1,
                1f,
                Float.NaN,
                false);
    }

    /**
     * A GPU's insight.
     *
     * @param step the step
     * @param util the utilisation, percent
     * @param memory the memory peak, bytes
     * @param capacity the capacity, bytes
     * @param throttle the throttle mask
     * @return the insight
     */
    public static StepInsight gpu(
            long step, double util, long memory, long capacity, long throttle) {
        return new StepInsight(
                step, "gpu0", 2, false, util, util, util, memory, capacity, 300, 3, 1400, throttle);
    }

    /**
     * A GPU's insight with utilisation only.
     *
     * @param step the step
     * @param util the utilisation, percent
     * @return the insight
     */
    public static StepInsight gpu(long step, double util) {
        return gpu(step, util, 1L << 30, 80L << 30, 0);
    }
}
