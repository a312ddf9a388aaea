package io.trainsight.insight.internal.report;

import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.timeline.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's steps for the charts, decimated: at most {@link #MAX_POINTS} points whatever the run's
 * length. Each point covers a bucket of consecutive steps (means of times, loss, utilisation,
 * power, GC pause time and the host's CPU; the lowest utilisation; the highest memory and live
 * array count). When the points fill up, neighbours are merged pairwise and each bucket covers
 * twice as many steps from then on.
 */
public final class ChartSeries {

    /** The most points kept; even, so pairs merge evenly. */
    public static final int MAX_POINTS = 2000;

    private final int devices;
    private final long[] firstStep = new long[MAX_POINTS + 1];
    private final long[] lastStep = new long[MAX_POINTS + 1];
    private final double[] startSeconds = new double[MAX_POINTS + 1];
    private final long[] steps = new long[MAX_POINTS + 1];
    private final double[] duration = new double[MAX_POINTS + 1];
    private final double[] wait = new double[MAX_POINTS + 1];
    private final double[] loss = new double[MAX_POINTS + 1];
    private final long[] losses = new long[MAX_POINTS + 1];
    private final double[] gc = new double[MAX_POINTS + 1];
    private final long[] gcs = new long[MAX_POINTS + 1];
    private final double[] arrays = new double[MAX_POINTS + 1];
    private final double[] systemCpu = new double[MAX_POINTS + 1];
    private final double[] processCpu = new double[MAX_POINTS + 1];
    private final long[] cpus = new long[MAX_POINTS + 1];
    private final double[][] util;
    private final long[][] utils;
    private final double[][] utilMin;
    private final double[][] memory;
    private final double[][] capacity;
    private final double[][] power;
    private final long[][] powers;
    private long stride = 1;
    private int points;
    private long originNanos;

    /**
     * Creates an empty series.
     *
     * @param devices the number of devices in each step's insights
     */
    public ChartSeries(int devices) {
        this.devices = devices;
        util = new double[devices][MAX_POINTS + 1];
        utils = new long[devices][MAX_POINTS + 1];
        utilMin = new double[devices][MAX_POINTS + 1];
        memory = new double[devices][MAX_POINTS + 1];
        capacity = new double[devices][MAX_POINTS + 1];
        power = new double[devices][MAX_POINTS + 1];
        powers = new long[devices][MAX_POINTS + 1];
    }

    /**
     * Sets the time the chart's seconds count from.
     *
     * @param originNanos the run's origin on {@link System#nanoTime()}
     */
    public void setOrigin(long originNanos) {
        this.originNanos = originNanos;
    }

    /**
     * Adds a step.
     *
     * @param record the step
     * @param insights its rows, one per device, or empty
     */
    public void add(StepRecord record, List<StepInsight> insights) {
        add(record, insights, StepSignals.NONE);
    }

    /**
     * Adds a step with its JVM and host signals.
     *
     * @param record the step
     * @param insights its rows, one per device, or empty
     * @param signals its GC pauses, live arrays and host load
     */
    public void add(StepRecord record, List<StepInsight> insights, StepSignals signals) {
        if (points > 0 && steps[points - 1] < stride) {
            merge(points - 1, record, insights, signals);
            return;
        }
        if (points == MAX_POINTS) {
            halve();
            if (steps[points - 1] < stride) {
                merge(points - 1, record, insights, signals);
                return;
            }
        }
        int p = points++;
        firstStep[p] = record.step();
        startSeconds[p] = (record.startNanos() - originNanos) / 1e9;
        steps[p] = 0;
        duration[p] = 0;
        wait[p] = 0;
        loss[p] = 0;
        losses[p] = 0;
        gc[p] = 0;
        gcs[p] = 0;
        arrays[p] = Double.NaN;
        systemCpu[p] = 0;
        processCpu[p] = 0;
        cpus[p] = 0;
        for (int d = 0; d < devices; d++) {
            util[d][p] = 0;
            utils[d][p] = 0;
            utilMin[d][p] = Double.NaN;
            memory[d][p] = Double.NaN;
            capacity[d][p] = Double.NaN;
            power[d][p] = 0;
            powers[d][p] = 0;
        }
        merge(p, record, insights, signals);
    }

    private void merge(int p, StepRecord record, List<StepInsight> insights, StepSignals signals) {
        lastStep[p] = record.step();
        steps[p]++;
        duration[p] += record.durationNanos() / 1e6;
        wait[p] += record.dataWaitNanos() / 1e6;
        if (Float.isFinite(record.loss()) && !record.skipped()) {
            loss[p] += record.loss();
            losses[p]++;
        }
        if (signals.hasGc()) {
            gc[p] += signals.gcPauseNanos() / 1e6;
            gcs[p]++;
        }
        if (signals.hasArrays()) {
            arrays[p] = max(arrays[p], signals.liveArrays());
        }
        if (!Double.isNaN(signals.systemCpu())) {
            systemCpu[p] += signals.systemCpu();
            processCpu[p] += Double.isNaN(signals.processCpu()) ? 0 : signals.processCpu();
            cpus[p]++;
        }
        for (int d = 0; d < devices && d < insights.size(); d++) {
            StepInsight insight = insights.get(d);
            if (!Double.isNaN(insight.utilMean())) {
                util[d][p] += insight.utilMean();
                utils[d][p]++;
                utilMin[d][p] = min(utilMin[d][p], insight.utilMin());
            }
            if (insight.memoryPeak() >= 0) {
                memory[d][p] = max(memory[d][p], insight.memoryPeak());
            }
            if (insight.memoryCapacity() > 0) {
                capacity[d][p] = insight.memoryCapacity();
            }
            if (!Double.isNaN(insight.powerMean())) {
                power[d][p] += insight.powerMean();
                powers[d][p]++;
            }
        }
    }

    /** Merges neighbours pairwise: half the points, each covering twice the steps. */
    private void halve() {
        int half = points / 2;
        for (int i = 0; i < half; i++) {
            int a = 2 * i;
            int b = a + 1;
            firstStep[i] = firstStep[a];
            lastStep[i] = lastStep[b];
            startSeconds[i] = startSeconds[a];
            steps[i] = steps[a] + steps[b];
            duration[i] = duration[a] + duration[b];
            wait[i] = wait[a] + wait[b];
            loss[i] = loss[a] + loss[b];
            losses[i] = losses[a] + losses[b];
            gc[i] = gc[a] + gc[b];
            gcs[i] = gcs[a] + gcs[b];
            arrays[i] = max(arrays[a], arrays[b]);
            systemCpu[i] = systemCpu[a] + systemCpu[b];
            processCpu[i] = processCpu[a] + processCpu[b];
            cpus[i] = cpus[a] + cpus[b];
            for (int d = 0; d < devices; d++) {
                util[d][i] = util[d][a] + util[d][b];
                utils[d][i] = utils[d][a] + utils[d][b];
                utilMin[d][i] = min(utilMin[d][a], utilMin[d][b]);
                memory[d][i] = max(memory[d][a], memory[d][b]);
                capacity[d][i] = Double.isNaN(capacity[d][b]) ? capacity[d][a] : capacity[d][b];
                power[d][i] = power[d][a] + power[d][b];
                powers[d][i] = powers[d][a] + powers[d][b];
            }
        }
        points = half;
        stride *= 2;
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /**
     * Returns how many steps a point covers now.
     *
     * @return the bucket size
     */
    public long stride() {
        return stride;
    }

    /**
     * Returns the points so far, as columns for the charts.
     *
     * @param deviceIds the devices' ids, in order
     * @return the columns
     */
    public Columns columns(List<String> deviceIds) {
        double[] step = new double[points];
        double[] time = new double[points];
        double[] stepMs = new double[points];
        double[] waitMs = new double[points];
        double[] computeMs = new double[points];
        double[] meanLoss = new double[points];
        double[] gcMs = new double[points];
        double[] system = new double[points];
        double[] process = new double[points];
        for (int p = 0; p < points; p++) {
            gcMs[p] = gcs[p] == 0 ? Double.NaN : gc[p] / gcs[p];
            system[p] = cpus[p] == 0 ? Double.NaN : systemCpu[p] / cpus[p];
            process[p] = cpus[p] == 0 ? Double.NaN : processCpu[p] / cpus[p];
            step[p] = lastStep[p];
            time[p] = startSeconds[p];
            stepMs[p] = duration[p] / steps[p];
            waitMs[p] = wait[p] / steps[p];
            computeMs[p] = stepMs[p] - waitMs[p];
            meanLoss[p] = losses[p] == 0 ? Double.NaN : loss[p] / losses[p];
        }
        List<DeviceColumns> perDevice = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            double[] u = new double[points];
            double[] power = new double[points];
            for (int p = 0; p < points; p++) {
                u[p] = utils[d][p] == 0 ? Double.NaN : util[d][p] / utils[d][p];
                power[p] = powers[d][p] == 0 ? Double.NaN : this.power[d][p] / powers[d][p];
            }
            perDevice.add(
                    new DeviceColumns(
                            deviceIds.get(d),
                            u,
                            java.util.Arrays.copyOf(utilMin[d], points),
                            java.util.Arrays.copyOf(memory[d], points),
                            java.util.Arrays.copyOf(capacity[d], points),
                            power));
        }
        return new Columns(
                stride,
                step,
                time,
                stepMs,
                waitMs,
                computeMs,
                meanLoss,
                gcMs,
                java.util.Arrays.copyOf(arrays, points),
                system,
                process,
                perDevice);
    }

    /**
     * The chart data: one value per point in each column.
     *
     * @param stride the steps per point
     * @param step the last step of each point
     * @param timeSeconds the start of each point, seconds from the run's origin
     * @param stepMs the mean step time
     * @param waitMs the mean data wait
     * @param computeMs the mean time outside the wait
     * @param loss the mean loss (NaN where no step had a finite loss)
     * @param gcMs the mean GC pause time per step (NaN where GC was not tracked)
     * @param liveArrays the most live NDArrays counted (NaN where none were counted)
     * @param systemCpu the machine's mean CPU busy, percent of all cores
     * @param processCpu this process's mean CPU, percent of all cores
     * @param devices the per-device columns
     */
    public record Columns(
            long stride,
            double[] step,
            double[] timeSeconds,
            double[] stepMs,
            double[] waitMs,
            double[] computeMs,
            double[] loss,
            double[] gcMs,
            double[] liveArrays,
            double[] systemCpu,
            double[] processCpu,
            List<DeviceColumns> devices) {}

    /**
     * One device's chart data.
     *
     * @param device the device's id
     * @param util the mean utilisation, percent
     * @param utilMin the lowest utilisation, percent
     * @param memory the highest memory, bytes
     * @param capacity the capacity, bytes
     * @param power the mean power, watts
     */
    public record DeviceColumns(
            String device,
            double[] util,
            double[] utilMin,
            double[] memory,
            double[] capacity,
            double[] power) {}
}
