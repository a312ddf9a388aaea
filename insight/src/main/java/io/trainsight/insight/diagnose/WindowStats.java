package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.timeline.StepRecord;

/**
 * The last N steps of one device, kept in a ring of references: the rolling window of the live
 * diagnosis. Adding a step is O(1); a snapshot sums the N steps with {@link RunStats} and fits the
 * memory trend through them.
 */
final class WindowStats {

    private final String device;
    private final boolean host;
    private final DiagnosisThresholds thresholds;
    private final int size;
    private final StepRecord[] records;
    private final StepInsight[] insights;
    private final double[] trendX;
    private final double[] trendY;
    private int count;
    private int next;

    WindowStats(String device, boolean host, DiagnosisThresholds thresholds) {
        this.device = device;
        this.host = host;
        this.thresholds = thresholds;
        this.size = thresholds.windowSteps();
        records = new StepRecord[size];
        insights = new StepInsight[size];
        trendX = new double[size];
        trendY = new double[size];
    }

    void add(StepRecord record, StepInsight insight) {
        records[next] = record;
        insights[next] = insight;
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
        return snapshot(SignalStats.NONE);
    }

    /** The window's numbers with the JVM and host numbers of the same steps. */
    StatsSnapshot snapshot(SignalStats signals) {
        RunStats sums = new RunStats(device, host, thresholds);
        int points = 0;
        int oldest = (next - count + size) % size;
        for (int k = 0; k < count; k++) {
            int i = (oldest + k) % size;
            sums.add(records[i], insights[i]);
            if (insights[i] != null && insights[i].memoryPeak() >= 0) {
                trendX[points] = records[i].step();
                trendY[points] = insights[i].memoryPeak();
                points++;
            }
        }
        double[] trend = Trend.fit(trendX, trendY, points);
        return sums.snapshot(trend[0], trend[1], signals);
    }
}
