package io.trainsight.insight.internal.jvm;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counts the live NDArrays (and their bytes) of some NDManagers and all their children: the model's
 * manager holds its parameters, the trainer's manager and whatever the training code attached to
 * it. DJL keeps each manager's resources in a map it does not expose, which is read here (a field
 * of {@link BaseNDManager}); where it cannot be read, the census says why ({@link
 * #unavailableReason()}) and counts nothing.
 *
 * <p>A census walks every resource, so its cost grows with the arrays alive: it runs every step
 * while the managers hold few resources, and every {@code n}-th step once they hold {@code n × 512}
 * (the counts of the steps between are left out). Its own cost is measured in CPU time ({@link
 * #nanosPerStep()}); given the steps' durations it also keeps to 0.2 % of the step time, skipping
 * up to 7 steps between censuses (a census of a few microseconds after a 1 ms step, the JIT not yet
 * done with it, runs every few steps), which leaves a rolling window of 50 steps at least 6. While
 * a manager's arrays grow, or their site is being sampled, the census runs every step.
 *
 * <p>When a manager's own arrays grow in census after census, its resource map is replaced by one
 * that notes where every eighth new array was created ({@link SiteSampler}); the site of the noted
 * arrays that stay alive is the answer ({@link #allocationSite()}). Used on the training thread.
 */
public final class ArrayCensus {

    private static final int VISITS_PER_CENSUS = 512;
    private static final int MAX_DEPTH = 8;
    private static final int ARM_AFTER_GROWTHS = 6;
    private static final int SURVIVORS_WANTED = 8;
    private static final int SURVIVAL_CENSUSES = 3;
    private static final int MAX_ARMED_CENSUSES = 64;
    private static final int TIMED_FIRST = 4;
    private static final int TIMED_EVERY = 16;
    private static final double BUDGET = 0.002;
    private static final long MOST_STEPS_APART_FOR_BUDGET = 8;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();
    private static final long CLOCK_COST = CPU_TIME ? clockCost() : 0;
    private static final VarHandle RESOURCES;
    private static final VarHandle NAME;
    private static final String UNAVAILABLE;

    static {
        VarHandle resources = null;
        VarHandle name = null;
        String reason = null;
        try {
            MethodHandles.Lookup lookup =
                    MethodHandles.privateLookupIn(BaseNDManager.class, MethodHandles.lookup());
            resources =
                    lookup.findVarHandle(
                            BaseNDManager.class,
                            "resources",
                            java.util.concurrent.ConcurrentHashMap.class);
            name = lookup.findVarHandle(BaseNDManager.class, "name", String.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "DJL's NDManager resources cannot be read here (" + e + ")";
        }
        RESOURCES = resources;
        NAME = name;
        UNAVAILABLE = reason;
    }

    private final List<NDManager> roots = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final Map<NDManager, Tally> tallies = new IdentityHashMap<>();
    private long generation;
    private long sinceCensus;
    private long every = 1;
    private long arrays = -1;
    private long bytes = -1;
    private String growing;
    private String site;
    private String siteEvidence;
    private Tally armed;
    private long armedAt;
    private final Map<String, Integer> survivors = new HashMap<>();
    private int noted;
    private long censuses;
    private long steps;
    private long timedNanos;
    private long timedCensuses;
    private double recentNanos = Double.NaN;
    private String failure;

    /** What is known of one manager across censuses. */
    private static final class Tally {
        final NDManager manager;
        Tally parent;
        String rootLabel;
        long own = -1;
        long delta;
        int growths;
        long seen;
        SiteSampler sampler;

        Tally(NDManager manager) {
            this.manager = manager;
        }

        /** How reports name the manager; built when asked, not at every census. */
        String label() {
            return parent == null ? rootLabel : childLabel(manager, parent.label());
        }
    }

    /**
     * Adds a manager to count, with its children.
     *
     * @param manager the manager, such as the model's
     * @param label how reports name it, such as {@code model 'mlp'}
     */
    public void add(NDManager manager, String label) {
        roots.add(manager);
        labels.add(label);
    }

    /**
     * Tells whether there is anything to count.
     *
     * @return whether a manager was added
     */
    public boolean watching() {
        return !roots.isEmpty();
    }

    /**
     * Says why the arrays cannot be counted.
     *
     * @return the reason, or null when they can
     */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * Counts after a step when it is due by the resources alive (see the class comment).
     *
     * @return whether a census ran; if not, the counts are unknown for this step
     */
    public boolean step() {
        return step(0);
    }

    /**
     * Counts after a step when it is due by the resources alive and by the census's share of the
     * step time (see the class comment).
     *
     * @param stepNanos how long the step took, or 0 when unknown
     * @return whether a census ran; if not, the counts are unknown for this step
     */
    public boolean step(long stepNanos) {
        steps++;
        if (UNAVAILABLE != null || roots.isEmpty() || failure != null) {
            return false;
        }
        if (++sinceCensus < every) {
            return false;
        }
        sinceCensus = 0;
        boolean timed = CPU_TIME && (censuses < TIMED_FIRST || censuses % TIMED_EVERY == 0);
        long start = timed ? THREADS.getCurrentThreadCpuTime() : 0;
        try {
            census();
        } catch (RuntimeException e) {
            failure = "the census failed: " + e;
            arrays = -1;
            bytes = -1;
            return false;
        }
        if (timed) {
            long nanos = Math.max(0, THREADS.getCurrentThreadCpuTime() - start - CLOCK_COST);
            timedNanos += nanos;
            timedCensuses++;
            recentNanos = Double.isNaN(recentNanos) ? nanos : (recentNanos + nanos) / 2;
        }
        if (growing == null && armed == null) {
            // arrays that grow are counted every step, for their trend and their site
            every = Math.max(every, withinBudget(stepNanos));
        }
        return true;
    }

    /** The steps between censuses that keep the last censuses' cost to the budget of a step. */
    private long withinBudget(long stepNanos) {
        if (stepNanos <= 0 || Double.isNaN(recentNanos)) {
            return 1;
        }
        long apart = (long) Math.ceil(recentNanos / (BUDGET * stepNanos));
        return Math.max(1, Math.min(MOST_STEPS_APART_FOR_BUDGET, apart));
    }

    /**
     * The CPU time that reading the thread's CPU clock adds to an interval it measures: the least
     * of a few back-to-back reads (in a virtual machine a read is a system call of microseconds,
     * more than a small census takes).
     */
    private static long clockCost() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 32; i++) {
            long first = THREADS.getCurrentThreadCpuTime();
            least = Math.min(least, THREADS.getCurrentThreadCpuTime() - first);
        }
        return Math.max(0, least);
    }

    private void census() {
        generation++;
        censuses++;
        long[] totals = new long[3]; // arrays, bytes, resources visited
        for (int r = 0; r < roots.size(); r++) {
            walk(roots.get(r), null, labels.get(r), 0, totals);
        }
        arrays = totals[0];
        bytes = totals[1];

        every = Math.max(1, totals[2] / VISITS_PER_CENSUS);
        growing = null;
        long most = 0;
        for (Iterator<Tally> it = tallies.values().iterator(); it.hasNext(); ) {
            Tally tally = it.next();
            if (tally.seen != generation) {
                it.remove();
            } else if (tally.delta > most) {
                most = tally.delta;
                growing = tally.label();
            }
        }
        sampleSites();
    }

    private void walk(NDManager manager, Tally parent, String rootLabel, int depth, long[] totals) {
        if (!(manager instanceof BaseNDManager base) || depth > MAX_DEPTH) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, AutoCloseable> resources = (Map<String, AutoCloseable>) RESOURCES.get(base);
        Tally tally = tallies.computeIfAbsent(manager, Tally::new);
        tally.parent = parent;
        tally.rootLabel = rootLabel;
        long own = 0;
        for (AutoCloseable resource : resources.values()) {
            totals[2]++;
            if (resource instanceof NDArray array) {
                own++;
                totals[1] += bytesOf(array);
            } else if (resource instanceof NDManager child) {
                walk(child, tally, rootLabel, depth + 1, totals);
            }
        }
        totals[0] += own;
        tally.delta = tally.own < 0 ? 0 : own - tally.own;
        if (tally.delta > 0) {
            tally.growths++;
        } else if (tally.delta < 0) {
            tally.growths = 0;
        }
        tally.own = own;
        tally.seen = generation;
    }

    private static long bytesOf(NDArray array) {
        try {
            return array.getShape().size() * array.getDataType().getNumOfBytes();
        } catch (RuntimeException e) {
            return 0; // closed meanwhile, or a type without a size
        }
    }

    private static String childLabel(NDManager child, String parent) {
        String name = child instanceof BaseNDManager base ? (String) NAME.get(base) : null;
        return name == null ? "a sub-manager of " + parent : "'" + name + "' under " + parent;
    }

    /** Arms the sampler on a manager that keeps growing; settles its site once enough survive. */
    private void sampleSites() {
        if (site != null) {
            return;
        }
        if (armed == null) {
            for (Tally tally : tallies.values()) {
                if (tally.growths >= ARM_AFTER_GROWTHS) {
                    arm(tally);
                    break;
                }
            }
            return;
        }
        SiteSampler sampler = armed.sampler;
        sampler.census(censuses);
        for (Map.Entry<String, SiteSampler.Pending> entry : sampler.pending().entrySet()) {
            if (censuses - entry.getValue().census() < SURVIVAL_CENSUSES) {
                continue;
            }
            if (sampler.containsKey(entry.getKey())) {
                survivors.merge(entry.getValue().site(), 1, Integer::sum);
                noted++;
            }
            sampler.forget(entry.getKey());
        }
        long armedFor = censuses - armedAt;
        if (noted >= SURVIVORS_WANTED
                || (noted >= 3 && armedFor >= 2 * SURVIVAL_CENSUSES + 10)
                || armedFor >= MAX_ARMED_CENSUSES
                || armed.seen != generation) {
            settle();
        }
    }

    private void arm(Tally tally) {
        if (!(tally.manager instanceof BaseNDManager base)) {
            return;
        }
        synchronized (base) { // DJL attaches and detaches under the manager's lock
            Object current = RESOURCES.get(base);
            SiteSampler sampler;
            if (current instanceof SiteSampler already) {
                sampler = already;
            } else {
                @SuppressWarnings("unchecked")
                Map<String, AutoCloseable> entries = (Map<String, AutoCloseable>) current;
                sampler = new SiteSampler(entries);
                RESOURCES.set(base, sampler);
            }
            tally.sampler = sampler;
        }
        tally.sampler.census(censuses);
        tally.sampler.arm(true);
        armed = tally;
        armedAt = censuses;
    }

    private void settle() {
        armed.sampler.arm(false);
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(survivors.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        if (ranked.isEmpty()) {
            armed.growths = 0; // it stopped growing: arm again if it starts over
        } else {
            List<String> sites = new ArrayList<>();
            for (Map.Entry<String, Integer> entry : ranked.subList(0, Math.min(3, ranked.size()))) {
                sites.add(entry.getKey() + " (" + entry.getValue() + " of " + noted + ")");
            }
            site = String.join("; ", sites);
            siteEvidence = noted + " sampled arrays still alive in " + armed.label();
        }
        armed = null;
    }

    /**
     * Returns the arrays counted by the last census.
     *
     * @return the count, or -1 before a census
     */
    public long arrays() {
        return arrays;
    }

    /**
     * Returns their bytes.
     *
     * @return the bytes, or -1 before a census
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Returns the manager whose own arrays grew most at the last census.
     *
     * @return its label, or null when none grew
     */
    public String growing() {
        return growing;
    }

    /**
     * Returns where the arrays that stay alive in a growing manager were created: up to three stack
     * frames, most frequent first, each with how many of the sampled survivors it made.
     *
     * @return such as {@code com.acme.Model.forward(Model.java:42) (6 of 8); ...}, or null
     */
    public String allocationSite() {
        return site;
    }

    /**
     * Says how the site was found.
     *
     * @return such as {@code 8 sampled arrays still alive in model 'mlp'}, or null
     */
    public String allocationSiteEvidence() {
        return siteEvidence;
    }

    /**
     * Returns the census's own cost: the CPU time of the first 4 and every 16th census (wall time
     * would count the time the thread waited for a core), less what reading the CPU clock adds,
     * times the censuses per step.
     *
     * @return CPU nanoseconds per step, or NaN before a census was timed
     */
    public double nanosPerStep() {
        return timedCensuses == 0 || steps == 0
                ? Double.NaN
                : (double) timedNanos / timedCensuses * censuses / steps;
    }

    /**
     * Returns the censuses taken.
     *
     * @return the count
     */
    public long censuses() {
        return censuses;
    }

    /**
     * Says why counting stopped during the run.
     *
     * @return the reason, or null
     */
    public String failure() {
        return failure;
    }
}
