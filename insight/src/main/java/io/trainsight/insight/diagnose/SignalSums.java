package io.trainsight.insight.diagnose;

import io.trainsight.insight.internal.correlate.StepSignals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Running sums of the JVM and host signals over a set of steps (a rolling window, the first steps
 * of a run, or the whole run), with the outlier steps grouped into stall episodes as they come.
 * Memory is bounded: at most {@link #MAX_EPISODES} episodes are kept (the others are counted).
 */
final class SignalSums {

    static final int MAX_EPISODES = 64;
    private static final int EPISODE_GAP = 2;

    long steps;
    long firstStep = -1;
    long lastStep = -1;
    long durationNanos;
    long computeNanos;
    long waitNanos;
    long gcSteps;
    long gcPauseNanos;
    long gcPauses;
    long gcLongestNanos;
    long gcLongestStep = -1;
    String gcLongestCollector;
    long gcStalledSteps;
    StepRange gcStalledRange;
    final Set<String> collectors = new LinkedHashSet<>();
    final LineFit arrays = new LineFit();
    final LineFit arrayBytes = new LineFit();
    long arraysPeak = -1;
    final Map<String, Integer> growing = new HashMap<>();
    String site;
    long loadSteps;
    double systemCpu;
    double othersCpu;
    double processCpu;
    long runnableSteps;
    double runnable;
    long waitCpuSteps;
    double waitCpu;
    long contendedSteps;
    StepRange contendedRange;
    int cores;
    int threads;
    long throttledSteps;
    long memorySteps;
    double memory;
    long checkpoints;
    long checkpointNanos;
    long outlierSteps;
    long lostNanos;
    final List<StallEpisode> episodes = new ArrayList<>();
    long episodesDropped;
    long lostDroppedNanos;
    private Open open;

    /** The episode being built. */
    private static final class Open {
        long first;
        long last;
        int steps;
        long lost;
        double worst;
        long gc;
        String gcCollector;
        long waitExcess;
        long checkpoint;
        int contended;
        double others;
        int throttled;
    }

    void add(StepFacts f) {
        long step = f.step();
        if (firstStep < 0) {
            firstStep = step;
        }
        lastStep = step;
        steps++;
        durationNanos += f.durationNanos();
        computeNanos += f.computeNanos();
        waitNanos += f.waitNanos();
        StepSignals s = f.signals();
        addGc(f, s);
        if (s.hasArrays()) {
            arrays.add(step, s.liveArrays());
            arrayBytes.add(step, s.liveBytes());
            arraysPeak = Math.max(arraysPeak, s.liveArrays());
            if (s.growingManager() != null) {
                growing.merge(s.growingManager(), 1, Integer::sum);
            }
        }
        if (s.allocationSite() != null) {
            site = s.allocationSite();
        }
        addLoad(f, s);
        if (f.throttled()) {
            throttledSteps++;
        }
        if (f.memory() >= 0) {
            memorySteps++;
            memory += f.memory();
        }
        if (s.checkpointNanos() > 0) {
            checkpoints++;
            checkpointNanos += s.checkpointNanos();
        }
        addStall(f);
    }

    private void addGc(StepFacts f, StepSignals s) {
        if (!s.hasGc()) {
            return;
        }
        gcSteps++;
        gcPauseNanos += s.gcPauseNanos();
        gcPauses += s.gcPauses();
        if (s.gcCollector() != null) {
            collectors.add(s.gcCollector());
        }
        if (s.gcLongestNanos() > gcLongestNanos) {
            gcLongestNanos = s.gcLongestNanos();
            gcLongestStep = f.step();
            gcLongestCollector = s.gcCollector();
        }
        if (f.gcStalled()) {
            gcStalledSteps++;
            gcStalledRange = StepRange.extend(gcStalledRange, f.step());
        }
    }

    private void addLoad(StepFacts f, StepSignals s) {
        cores = s.cores();
        threads = s.threads();
        if (!Double.isNaN(s.systemCpu())) {
            loadSteps++;
            systemCpu += s.systemCpu();
            double others = s.othersCpu();
            othersCpu += Double.isNaN(others) ? 0 : others;
            processCpu += Double.isNaN(s.processCpu()) ? 0 : s.processCpu();
        }
        if (!Double.isNaN(s.runnableThreads())) {
            runnableSteps++;
            runnable += s.runnableThreads();
        }
        if (!Double.isNaN(s.systemCpuDuringWait())) {
            waitCpuSteps++;
            waitCpu += s.systemCpuDuringWait();
        }
        if (f.contended()) {
            contendedSteps++;
            contendedRange = StepRange.extend(contendedRange, f.step());
        }
    }

    private void addStall(StepFacts f) {
        if (f.outlier()) {
            outlierSteps++;
            lostNanos += f.excessNanos();
            if (open != null && f.step() - open.last > EPISODE_GAP + 1) {
                close();
            }
            if (open == null) {
                open = new Open();
                open.first = f.step();
            }
            Open e = open;
            e.last = f.step();
            e.steps++;
            e.lost += f.excessNanos();
            e.worst = Math.max(e.worst, (double) f.durationNanos() / f.medianNanos());
            StepSignals s = f.signals();
            if (s.hasGc() && s.gcPauseNanos() > 0) {
                e.gc += s.gcPauseNanos();
                e.gcCollector = s.gcCollector();
            }
            e.waitExcess += Math.max(0, f.waitNanos() - Math.max(0, f.medianWaitNanos()));
            e.checkpoint += s.checkpointNanos();
            if (f.contended()) {
                e.contended++;
            }
            if (!Double.isNaN(s.othersCpu())) {
                e.others = Math.max(e.others, s.othersCpu());
            }
            if (f.throttled()) {
                e.throttled++;
            }
        } else if (open != null && f.step() - open.last > EPISODE_GAP) {
            close();
        }
    }

    private void close() {
        StallEpisode episode = episode(open);
        open = null;
        if (episodes.size() < MAX_EPISODES) {
            episodes.add(episode);
        } else {
            episodesDropped++;
            lostDroppedNanos += episode.lostNanos();
        }
    }

    /** Returns the episodes, the one still open included. */
    List<StallEpisode> allEpisodes() {
        List<StallEpisode> all = new ArrayList<>(episodes);
        if (open != null) {
            all.add(episode(open));
        }
        return all;
    }

    /** Names what coincided with an episode: the largest time-based cause, else a condition. */
    private static StallEpisode episode(Open e) {
        List<String> seen = new ArrayList<>();
        if (e.gc > 0) {
            seen.add(Units.format("GC pauses %.1f ms (%s)", e.gc / 1e6, e.gcCollector));
        }
        if (e.waitExcess > 0) {
            seen.add(Units.format("data wait %.1f ms over the usual", e.waitExcess / 1e6));
        }
        if (e.checkpoint > 0) {
            seen.add(Units.format("checkpoint written %.1f ms", e.checkpoint / 1e6));
        }
        if (e.contended > 0) {
            seen.add(Units.format("other processes took %.0f %% of the CPU", e.others));
        }
        if (e.throttled > 0) {
            seen.add("GPU throttled");
        }
        long timed = Math.max(e.gc, Math.max(e.waitExcess, e.checkpoint));
        String cause;
        if (timed > 0 && timed * 10 >= e.lost * 3) {
            cause = timed == e.gc ? "gc" : timed == e.waitExcess ? "data-wait" : "checkpoint";
        } else if (e.contended > 0) {
            cause = "contention";
        } else if (e.throttled > 0) {
            cause = "throttling";
        } else {
            cause = "unexplained";
        }
        return new StallEpisode(
                e.first, e.last, e.steps, e.lost, e.worst, cause, String.join(", ", seen));
    }

    /** Returns the manager named most often as growing, or null. */
    String mostGrowing() {
        String best = null;
        int count = 0;
        for (Map.Entry<String, Integer> entry : growing.entrySet()) {
            if (entry.getValue() > count) {
                best = entry.getKey();
                count = entry.getValue();
            }
        }
        return best;
    }
}
