package io.trainsight.bench;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import java.lang.management.ManagementFactory;

/**
 * Times the steps of a training run after a warm-up, from the end of the last warm-up step to the
 * end of the last step (the listeners of each step run inside that span), and counts the bytes the
 * training thread allocated in between.
 */
public final class StepWindow implements StepListener {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final int warmUp;
    private long firstEnd;
    private long lastEnd;
    private long firstBytes;
    private long lastBytes;
    private long steps;

    /**
     * Creates a timer.
     *
     * @param warmUp the steps not timed
     */
    public StepWindow(int warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public void onStep(StepRecord record) {
        if (record.step() == warmUp) {
            firstEnd = record.endNanos();
            firstBytes = THREADS.getCurrentThreadAllocatedBytes();
        } else if (record.step() > warmUp) {
            lastEnd = record.endNanos();
            lastBytes = THREADS.getCurrentThreadAllocatedBytes();
            steps = record.step() - warmUp;
        }
    }

    /**
     * Returns the timed steps per second.
     *
     * @return steps per second
     */
    public double stepsPerSecond() {
        return steps * 1e9 / (lastEnd - firstEnd);
    }

    /**
     * Returns the bytes allocated per timed step on the training thread.
     *
     * @return bytes per step
     */
    public double bytesPerStep() {
        return (lastBytes - firstBytes) / (double) steps;
    }

    /**
     * Returns the time from the end of the last step to now.
     *
     * @return nanoseconds
     */
    public long sinceLastStep() {
        return System.nanoTime() - lastEnd;
    }
}
