package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM and host numbers over a set of steps (a rolling window or the whole run), as the rules
 * about GC, leaked arrays, slowdown, contention and stalls read them, with the run's context a
 * slowdown is judged against (its first steps, its latest steps, its trend). A copy: it does not
 * change after it is made. {@link #summary()} gives the whole run's figures for summary.json.
 */
public final class SignalStats {

    /** Nothing known: no step. */
    public static final SignalStats NONE = new SignalStats(new SignalSums(), null);

    final long steps;
    final long firstStep;
    final long lastStep;
    final long durationNanos;
    final long computeNanos;
    final long waitNanos;
    final long gcSteps;
    final long gcPauseNanos;
    final long gcPauses;
    final long gcLongestNanos;
    final long gcLongestStep;
    final String gcLongestCollector;
    final long gcStalledSteps;
    final StepRange gcStalledRange;
    final List<String> collectors;
    final long arrayPoints;
    final double arraysFirst;
    final double arraysLast;
    final double arraysFirstStep;
    final double arraysLastStep;
    final double arraysSlope;
    final double arraysR2;
    final double bytesLast;
    final double bytesSlope;
    final long arraysPeak;
    final String growing;
    final String site;
    final long loadSteps;
    final double systemCpu;
    final double othersCpu;
    final double processCpu;
    final double runnable;
    final double waitCpu;
    final long contendedSteps;
    final StepRange contendedRange;
    final int cores;
    final int threads;
    final long throttledSteps;
    final double memoryMean;
    final long checkpoints;
    final long checkpointNanos;
    final long outlierSteps;
    final long lostNanos;
    final List<StallEpisode> episodes;
    final long episodesDropped;
    final Context context;

    /**
     * What a slowdown is judged against.
     *
     * @param baseline the run's first window of steps, or null before it filled
     * @param recent the latest window of steps
     * @param baselineComputeNanos the median compute time of the first window, or -1
     * @param recentComputeNanos the median compute time of the latest window, or -1
     * @param computeSlope the trend of compute time over the run, nanoseconds per step
     * @param computeR2 how straight it is
     * @param runSteps the steps counted since the start
     * @param medianNanos the rolling median step time now, or -1
     */
    record Context(
            SignalStats baseline,
            SignalStats recent,
            long baselineComputeNanos,
            long recentComputeNanos,
            double computeSlope,
            double computeR2,
            long runSteps,
            long medianNanos) {}

    SignalStats(SignalSums s, Context context) {
        steps = s.steps;
        firstStep = s.firstStep;
        lastStep = s.lastStep;
        durationNanos = s.durationNanos;
        computeNanos = s.computeNanos;
        waitNanos = s.waitNanos;
        gcSteps = s.gcSteps;
        gcPauseNanos = s.gcPauseNanos;
        gcPauses = s.gcPauses;
        gcLongestNanos = s.gcLongestNanos;
        gcLongestStep = s.gcLongestStep;
        gcLongestCollector = s.gcLongestCollector;
        gcStalledSteps = s.gcStalledSteps;
        gcStalledRange = s.gcStalledRange;
        collectors = List.copyOf(s.collectors);
        arrayPoints = s.arrays.count();
        arraysFirst = s.arrays.firstY();
        arraysLast = s.arrays.lastY();
        arraysFirstStep = s.arrays.firstX();
        arraysLastStep = s.arrays.lastX();
        arraysSlope = s.arrays.slope();
        arraysR2 = s.arrays.r2();
        bytesLast = s.arrayBytes.lastY();
        bytesSlope = s.arrayBytes.slope();
        arraysPeak = s.arraysPeak;
        growing = s.mostGrowing();
        site = s.site;
        loadSteps = s.loadSteps;
        systemCpu = mean(s.systemCpu, s.loadSteps);
        othersCpu = mean(s.othersCpu, s.loadSteps);
        processCpu = mean(s.processCpu, s.loadSteps);
        runnable = mean(s.runnable, s.runnableSteps);
        waitCpu = mean(s.waitCpu, s.waitCpuSteps);
        contendedSteps = s.contendedSteps;
        contendedRange = s.contendedRange;
        cores = s.cores;
        threads = s.threads;
        throttledSteps = s.throttledSteps;
        memoryMean = mean(s.memory, s.memorySteps);
        checkpoints = s.checkpoints;
        checkpointNanos = s.checkpointNanos;
        outlierSteps = s.outlierSteps;
        lostNanos = s.lostNanos;
        episodes = List.copyOf(s.allEpisodes());
        episodesDropped = s.episodesDropped;
        this.context = context;
    }

    private static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Returns the GC pause time as a share of step time, NaN when GC was not tracked. */
    double gcShare() {
        return gcSteps == 0 || durationNanos == 0
                ? Double.NaN
                : (double) gcPauseNanos / durationNanos;
    }

    /** Returns the mean GC pause time per step, milliseconds. */
    double gcMsPerStep() {
        return gcSteps == 0 ? Double.NaN : gcPauseNanos / 1e6 / gcSteps;
    }

    /** Returns the share of steps contended, NaN without host load. */
    double contendedShare() {
        return loadSteps == 0 ? Double.NaN : (double) contendedSteps / loadSteps;
    }

    /** Returns the share of steps throttled. */
    double throttledShare() {
        return steps == 0 ? Double.NaN : (double) throttledSteps / steps;
    }

    /** Returns the mean live arrays over the census points, NaN without any. */
    double arraysMid() {
        return arrayPoints == 0 ? Double.NaN : (arraysFirst + arraysLast) / 2;
    }

    /** Returns the share of step time lost in stalls. */
    double lostShare() {
        return durationNanos == 0 ? Double.NaN : (double) lostNanos / durationNanos;
    }

    /**
     * Returns the figures summary.json records for the whole run: GC pauses, live arrays, host load
     * and stalls.
     *
     * @return figures by name (null where unknown)
     */
    public Map<String, Object> summary() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("gc_pause_ms", gcSteps == 0 ? null : Units.round(gcPauseNanos / 1e6, 3));
        map.put("gc_pauses", gcSteps == 0 ? null : gcPauses);
        map.put("gc_pause_share", nullable(Units.round(gcShare(), 4)));
        map.put("gc_longest_pause_ms", gcSteps == 0 ? null : Units.round(gcLongestNanos / 1e6, 3));
        map.put("gc_collectors", collectors);
        map.put("live_arrays_first", arrayPoints == 0 ? null : (long) arraysFirst);
        map.put("live_arrays_last", arrayPoints == 0 ? null : (long) arraysLast);
        map.put("live_arrays_peak", arraysPeak < 0 ? null : arraysPeak);
        map.put("live_bytes_last", arrayPoints == 0 ? null : (long) bytesLast);
        map.put("system_cpu_percent", nullable(Units.round(systemCpu, 1)));
        map.put("other_processes_cpu_percent", nullable(Units.round(othersCpu, 1)));
        map.put("process_cpu_percent", nullable(Units.round(processCpu, 1)));
        map.put("runnable_threads", nullable(Units.round(runnable, 2)));
        map.put("contended_steps", loadSteps == 0 ? null : contendedSteps);
        map.put("stall_steps", outlierSteps);
        map.put("stall_lost_ms", Units.round(lostNanos / 1e6, 3));
        map.put("checkpoints", checkpoints);
        return map;
    }

    private static Object nullable(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
