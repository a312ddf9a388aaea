package io.trainsight.cli.train;

import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;

/**
 * Keeps what the summary of a run shows, in constant memory: the mean training loss of the first
 * and of the last {@code window} steps, the steps skipped by mixed precision and the latest loss
 * scale.
 */
final class RunTally implements StepListener {

    private final float[] first;
    private final float[] last;
    private long steps;
    private long skipped;
    private float lossScale = 1f;

    RunTally(int window) {
        first = new float[window];
        last = new float[window];
    }

    @Override
    public void onStep(StepRecord record) {
        if (steps < first.length) {
            first[(int) steps] = record.loss();
        }
        last[(int) (steps % last.length)] = record.loss();
        steps++;
        if (record.skipped()) {
            skipped++;
        }
        lossScale = record.lossScale();
    }

    /**
     * Returns the number of steps in each window: the window size, or half the run in a short run,
     * so the two windows never overlap (one step in a one-step run).
     */
    int window() {
        return (int) Math.max(Math.min(1, steps), Math.min(first.length, steps / 2));
    }

    /** Returns the number of steps skipped because a gradient overflowed. */
    long skipped() {
        return skipped;
    }

    /** Returns the loss scale of the latest step. */
    float lossScale() {
        return lossScale;
    }

    /** Returns the mean loss of the first steps. */
    double firstMean() {
        return mean(first, 0, window());
    }

    /** Returns the mean loss of the last steps. */
    double lastMean() {
        int count = window();
        return mean(last, (int) ((steps - count) % last.length), count);
    }

    private double mean(float[] ring, int from, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += ring[(from + i) % ring.length];
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
