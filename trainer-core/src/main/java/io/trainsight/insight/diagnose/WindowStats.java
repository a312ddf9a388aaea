package io.trainsight.insight.diagnose;

import io.trainsight.insight.correlate.StepInsight;
import io.trainsight.trainer.timeline.StepRecord;

/**
 * The last N steps of one device, in fixed arrays (a ring): the rolling window of the live
 * diagnosis. Adding a step is O(1); a snapshot reads the N steps once.
 */
final class WindowStats {

    private final String device;
    private final boolean host;
    private final DiagnosisThresholds thresholds;
    private final int size;
    private final long[] step;
    private final long[] duration;
    private final long[] wait;
    private final double[] util;
    private final double[] utilMin;
    private final double[] waitUtil;
    private final long[] memory;
    private final long[] capacity;
    private final long[] throttle;
    private final double[] trendX;
    private final double[] trendY;
    private int count;
    private int next;

    WindowStats(String device, boolean host, DiagnosisThresholds thresholds) {
        this.device = device;
        this.host = host;
        this.thresholds = thresholds;
        this.size = thresholds.windowSteps();
        step = new long[size];
        duration = new long[size];
        wait = new long[size];
        util = new double[size];
        utilMin = new double[size];
        waitUtil = new double[size];
        memory = new long[size];
        capacity = new long[size];
        throttle = new long[size];
        trendX = new double[size];
        trendY = new double[size];
    }

    void add(StepRecord record, StepInsight insight) {
        int i = next;
        step[i] = record.step();
        duration[i] = record.durationNanos();
        wait[i] = record.dataWaitNanos();
        util[i] = insight == null ? Double.NaN : insight.utilMean();
        utilMin[i] = insight == null ? Double.NaN : insight.utilMin();
        waitUtil[i] = insight == null ? Double.NaN : insight.utilDuringWait();
        memory[i] = insight == null ? -1 : insight.memoryPeak();
        capacity[i] = insight == null ? -1 : insight.memoryCapacity();
        throttle[i] = insight == null ? 0 : insight.throttleMask();
        next = (next + 1) % size;
        count = Math.min(count + 1, size);
    }

    int count() {
        return count;
    }

    int size() {
        return size;
    }

    StatsSnapshot snapshot() {
        Accumulator sums = new Accumulator();
        int oldest = (next - count + size) % size;
        for (int k = 0; k < count; k++) {
            sums.add((oldest + k) % size);
        }
        return sums.snapshot();
    }

    /** One pass over the window, oldest step first. */
    private final class Accumulator {
        private long first = -1;
        private long last = -1;
        private long durationSum;
        private long waitSum;
        private double utilSum;
        private long utilSteps;
        private double utilLowest = Double.NaN;
        private long lowSteps;
        private double waitUtilSum;
        private long waitUtilSteps;
        private long peak = -1;
        private long peakStep = -1;
        private long total = -1;
        private long lastMemory = -1;
        private long throttledSteps;
        private long mask;
        private long throttledNanos;
        private StepRange waiting;
        private StepRange low;
        private StepRange high;
        private StepRange throttled;
        private int points;

        void add(int i) {
            if (first < 0) {
                first = step[i];
            }
            last = step[i];
            durationSum += duration[i];
            waitSum += wait[i];
            if (duration[i] > 0
                    && (double) wait[i] / duration[i] >= thresholds.inputBoundModerate()) {
                waiting = StepRange.extend(waiting, step[i]);
            }
            if (!Double.isNaN(util[i])) {
                utilSum += util[i];
                utilSteps++;
                utilLowest =
                        Double.isNaN(utilLowest) ? utilMin[i] : Math.min(utilLowest, utilMin[i]);
                if (util[i] < thresholds.lowUtilization()) {
                    lowSteps++;
                    low = StepRange.extend(low, step[i]);
                }
            }
            if (!Double.isNaN(waitUtil[i])) {
                waitUtilSum += waitUtil[i];
                waitUtilSteps++;
            }
            if (memory[i] >= 0) {
                trendX[points] = step[i];
                trendY[points] = memory[i];
                points++;
                lastMemory = memory[i];
                if (memory[i] > peak) {
                    peak = memory[i];
                    peakStep = step[i];
                }
                if (capacity[i] > 0 && memory[i] >= thresholds.oomPeakShare() * capacity[i]) {
                    high = StepRange.extend(high, step[i]);
                }
            }
            if (capacity[i] > 0) {
                total = capacity[i];
            }
            mask |= throttle[i];
            if ((throttle[i] & StepConditions.SLOWDOWN_BITS) != 0) {
                throttledSteps++;
                throttledNanos += duration[i];
                throttled = StepRange.extend(throttled, step[i]);
            }
        }

        StatsSnapshot snapshot() {
            double[] trend = Trend.fit(trendX, trendY, points);
            return new StatsSnapshot(
                    device,
                    host,
                    first,
                    last,
                    count,
                    durationSum,
                    waitSum,
                    utilSteps == 0 ? Double.NaN : utilSum / utilSteps,
                    utilLowest,
                    lowSteps,
                    utilSteps,
                    waitUtilSteps == 0 ? Double.NaN : waitUtilSum / waitUtilSteps,
                    peak,
                    peakStep,
                    total,
                    lastMemory,
                    trend[0],
                    trend[1],
                    throttledSteps,
                    mask,
                    throttledNanos,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    waiting,
                    low,
                    high,
                    throttled);
        }
    }
}
