package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.timeline.StepRecord;
import java.util.Arrays;
import java.util.List;

/**
 * Follows the steps for the rules about the JVM and the host: judges each step against the rolling
 * medians of the steps before it (outlier, stalled by GC, contended), and keeps the run's sums, the
 * sums of its first window (the baseline a slowdown is measured from), the latest window, and the
 * trend of compute time over the run (a line through the medians of blocks of steps, so one noisy
 * step does not bend it). Constant memory; used on one thread.
 */
final class SignalTracker {

    private static final int BLOCK = 10;

    private final SignalThresholds limits;
    private final int size;
    private final RollingMedian durations;
    private final RollingMedian waits;
    private final SignalSums run = new SignalSums();
    private final SignalSums first = new SignalSums();
    private final long[] firstCompute;
    private long baselineCompute = -1;
    private SignalStats baseline;
    private final StepFacts[] window;
    private int count;
    private int next;
    private final long[] block = new long[BLOCK];
    private int blockCount;
    private long blockStep;
    private final LineFit computeTrend = new LineFit();

    SignalTracker(DiagnosisThresholds thresholds) {
        this.limits = thresholds.signals();
        this.size = thresholds.windowSteps();
        durations = new RollingMedian(size);
        waits = new RollingMedian(size);
        firstCompute = new long[size];
        window = new StepFacts[size];
    }

    /** Judges a step and adds it; returns what was judged. */
    StepFacts add(StepRecord record, List<StepInsight> insights, StepSignals signals) {
        boolean enough = durations.count() >= durations.size() / 2;
        long median = enough ? durations.median() : -1;
        long medianWait = enough ? waits.median() : -1;
        long duration = record.durationNanos();
        boolean outlier = median > 0 && duration >= limits.stallFactor() * median;
        boolean gcStalled =
                median > 0
                        && signals.hasGc()
                        && duration >= limits.gcStallFactor() * median
                        && signals.gcPauseNanos() * 2 >= duration - median;
        boolean throttled = false;
        long memory = -1;
        for (int d = 0; d < insights.size(); d++) {
            StepInsight insight = insights.get(d);
            throttled |= StepConditions.throttled(insight);
            if (d == 0) {
                memory = insight.memoryPeak();
            }
        }
        StepFacts facts =
                new StepFacts(
                        record.step(),
                        duration,
                        record.computeNanos(),
                        record.dataWaitNanos(),
                        signals,
                        throttled,
                        memory,
                        median,
                        medianWait,
                        outlier,
                        gcStalled,
                        contended(signals));
        durations.add(duration);
        waits.add(record.dataWaitNanos());
        run.add(facts);
        if (first.steps < size) {
            firstCompute[(int) first.steps] = record.computeNanos();
            first.add(facts);
            if (first.steps == size) {
                baselineCompute = median(firstCompute, size);
                baseline = new SignalStats(first, null);
            }
        }
        window[next] = facts;
        next = (next + 1) % size;
        count = Math.min(count + 1, size);
        addToTrend(record);
        return facts;
    }

    /** Other processes take the cores while this run's threads wait for one. */
    private boolean contended(StepSignals s) {
        double others = s.othersCpu();
        if (Double.isNaN(others) || others < limits.contentionOthers()) {
            return false;
        }
        double runnable = s.runnableThreads();
        return Double.isNaN(runnable) || s.cores() <= 0 || runnable > s.cores();
    }

    private void addToTrend(StepRecord record) {
        if (blockCount == 0) {
            blockStep = record.step();
        }
        block[blockCount++] = record.computeNanos();
        if (blockCount == BLOCK) {
            long[] sorted = block.clone();
            Arrays.sort(sorted);
            computeTrend.add(blockStep + BLOCK / 2.0, (sorted[4] + sorted[5]) / 2.0);
            blockCount = 0;
        }
    }

    private static long median(long[] values, int n) {
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Returns the latest window's numbers, or NONE before a step. */
    SignalStats window() {
        if (count == 0) {
            return SignalStats.NONE;
        }
        SignalSums sums = new SignalSums();
        long[] compute = new long[count];
        int oldest = (next - count + size) % size;
        for (int k = 0; k < count; k++) {
            StepFacts facts = window[(oldest + k) % size];
            sums.add(facts);
            compute[k] = facts.computeNanos();
        }
        return new SignalStats(sums, context(null, median(compute, count)));
    }

    /** Returns the whole run's numbers, with the latest window as its recent part. */
    SignalStats run() {
        if (run.steps == 0) {
            return SignalStats.NONE;
        }
        SignalStats recent = window();
        return new SignalStats(run, context(recent, recent.context.recentComputeNanos()));
    }

    private SignalStats.Context context(SignalStats recent, long recentCompute) {
        return new SignalStats.Context(
                baseline,
                recent,
                baselineCompute,
                recentCompute,
                computeTrend.slope(),
                computeTrend.r2(),
                run.steps,
                durations.count() == 0 ? -1 : durations.median());
    }
}
