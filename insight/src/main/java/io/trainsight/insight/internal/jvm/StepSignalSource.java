package io.trainsight.insight.internal.jvm;

import ai.djl.ndarray.NDManager;
import io.trainsight.insight.internal.correlate.HostLoad;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.timeline.StepRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gathers a step's {@link StepSignals} once it ended: the GC pauses inside it ({@link GcPauses}),
 * the live NDArrays after it ({@link ArrayCensus}), the host's load during it (from the step's
 * samples) and the checkpoint written before it. Used on the training thread; {@link #close()}
 * stops listening to the collectors.
 */
public final class StepSignalSource implements AutoCloseable {

    private final ArrayCensus census = new ArrayCensus();
    private final int cores;
    private final int engineThreads;
    private final int loaderWorkers;
    private GcPauses gc;
    private long checkpointNanos;
    private String gcFailure;

    /**
     * Creates the source.
     *
     * @param cores the cores the process may use
     * @param engineThreads the engine's intra-op threads, or 0 when unknown
     * @param loaderWorkers the data loader's worker threads
     */
    public StepSignalSource(int cores, int engineThreads, int loaderWorkers) {
        this.cores = cores;
        this.engineThreads = engineThreads;
        this.loaderWorkers = loaderWorkers;
    }

    /**
     * Counts the live arrays of a manager and its children after every step.
     *
     * @param manager the manager, such as the model's
     * @param label how reports name it
     */
    public void watch(NDManager manager, String label) {
        census.add(manager, label);
    }

    /** Starts listening to the garbage collectors; called when training begins. */
    public void begin() {
        if (gc != null) {
            return;
        }
        try {
            gc = new GcPauses();
        } catch (RuntimeException | LinkageError e) {
            gcFailure = "GC notifications are not available here (" + e + ")";
        }
    }

    /**
     * Records that a checkpoint was written after the last step; the next step carries its time.
     *
     * @param nanos how long it took
     */
    public synchronized void checkpoint(long nanos) {
        checkpointNanos += nanos;
    }

    private synchronized long takeCheckpointNanos() {
        long nanos = checkpointNanos;
        checkpointNanos = 0;
        return nanos;
    }

    /**
     * Counts the live arrays after a step, when due: on the training thread, while no step runs
     * (the arrays of a step in flight come and go, and may be freed while read).
     *
     * @param stepNanos how long the step took, which bounds how often the census runs
     * @return the counts, for {@link #after(StepRecord, HostLoad, Census)}
     */
    public Census count(long stepNanos) {
        if (!census.step(stepNanos)) {
            return new Census(-1, -1, null, census.allocationSite());
        }
        return new Census(
                census.arrays(), census.bytes(), census.growing(), census.allocationSite());
    }

    /**
     * The live arrays after a step.
     *
     * @param arrays how many, or -1 when not counted this step
     * @param bytes their bytes, or -1
     * @param growing the manager whose arrays grew, or null
     * @param site where the arrays that stay are created, once known, else null
     */
    public record Census(long arrays, long bytes, String growing, String site) {}

    /**
     * Returns a step's signals with its census taken earlier; call once per step, in order.
     *
     * @param record the step
     * @param load the host's load during it
     * @param counted the step's census, from {@link #count(long)}
     * @return the signals
     */
    public StepSignals after(StepRecord record, HostLoad load, Census counted) {
        boolean gcKnown = gc != null;
        if (gcKnown) {
            gc.step(record.startNanos(), record.endNanos());
        }
        long checkpoint = takeCheckpointNanos();
        return new StepSignals(
                gcKnown ? gc.pauseNanos() : -1,
                gcKnown ? gc.pauses() : 0,
                gcKnown ? gc.longestNanos() : -1,
                gcKnown ? gc.longestCollector() : null,
                counted.arrays(),
                counted.bytes(),
                counted.growing(),
                counted.site(),
                load.systemCpu(),
                load.systemCpuDuringWait(),
                load.processCpu(),
                load.runnableThreads(),
                cores,
                engineThreads > 0 ? engineThreads + loaderWorkers : 0,
                checkpoint);
    }

    /**
     * Returns what summary.json records about these signals: the collectors, whether the arrays are
     * counted and what that cost.
     *
     * @return facts by name
     */
    public Map<String, Object> environment() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put(
                "gc_collectors",
                gc != null ? gc.collectorNames() : (gcFailure == null ? "not started" : gcFailure));
        facts.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        if (engineThreads > 0) {
            facts.put("engine_threads", engineThreads);
        }
        facts.put("loader_workers", loaderWorkers);
        facts.put("machine_cores", HostLoad.machineCores());
        if (!census.watching()) {
            facts.put("ndarray_census", "off (no NDManager given)");
        } else if (ArrayCensus.unavailableReason() != null) {
            facts.put("ndarray_census", ArrayCensus.unavailableReason());
        } else if (census.failure() != null) {
            facts.put("ndarray_census", census.failure());
        } else {
            facts.put("ndarray_census", "on");
            facts.put("ndarray_censuses", census.censuses());
            facts.put(
                    "ndarray_census_cpu_us_per_step",
                    Math.round(census.nanosPerStep() / 100.0) / 10.0);
            if (census.allocationSiteEvidence() != null) {
                facts.put("ndarray_allocation_site", census.allocationSite());
                facts.put("ndarray_allocation_site_evidence", census.allocationSiteEvidence());
            }
        }
        return facts;
    }

    /**
     * Returns how the allocation site was found, for the finding's evidence.
     *
     * @return such as {@code 8 of 8 sampled arrays still alive in model 'mlp'}, or null
     */
    public String allocationSiteEvidence() {
        return census.allocationSiteEvidence();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
            gc = null;
        }
    }
}
