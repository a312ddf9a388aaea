package io.trainsight.insight;

import io.trainsight.insight.internal.correlate.StepSignals;

/** Scripted JVM and host signals of a step, for the rule tests; one value at a time. */
public final class Signals {

    private static final long MS = 1_000_000;

    private long gcPause = 0;
    private int gcPauses;
    private String collector;
    private long arrays = -1;
    private long arrayBytes = -1;
    private String growing;
    private String site;
    private double systemCpu = Double.NaN;
    private double waitCpu = Double.NaN;
    private double processCpu = Double.NaN;
    private double runnable = Double.NaN;
    private int cores = 2;
    private int threads;
    private long checkpoint;

    private Signals() {}

    /**
     * Starts a step with GC tracked and no pause.
     *
     * @return the builder
     */
    public static Signals step() {
        return new Signals();
    }

    /**
     * Adds a GC pause.
     *
     * @param ms its duration
     * @return this
     */
    public Signals gc(double ms) {
        gcPause += Math.round(ms * MS);
        gcPauses++;
        collector = "G1 Young Generation";
        return this;
    }

    /**
     * Sets the live arrays counted after the step.
     *
     * @param count the arrays
     * @param manager the manager that grew, or null
     * @return this
     */
    public Signals arrays(long count, String manager) {
        arrays = count;
        arrayBytes = count * 4096;
        growing = manager;
        return this;
    }

    /**
     * Sets the sampled allocation site.
     *
     * @param frame the site
     * @return this
     */
    public Signals site(String frame) {
        site = frame;
        return this;
    }

    /**
     * Sets the host's load.
     *
     * @param system the machine's CPU, percent of all cores
     * @param process this process's CPU, percent of all cores
     * @param runnableThreads runnable threads on the machine
     * @param machineCores the machine's cores
     * @return this
     */
    public Signals load(double system, double process, double runnableThreads, int machineCores) {
        systemCpu = system;
        waitCpu = system;
        processCpu = process;
        runnable = runnableThreads;
        cores = machineCores;
        return this;
    }

    /**
     * Sets the threads the run keeps busy.
     *
     * @param count engine threads plus loader workers
     * @return this
     */
    public Signals threads(int count) {
        threads = count;
        return this;
    }

    /**
     * Sets a checkpoint written before the step.
     *
     * @param ms how long it took
     * @return this
     */
    public Signals checkpoint(double ms) {
        checkpoint = Math.round(ms * MS);
        return this;
    }

    /**
     * Returns the signals.
     *
     * @return the record
     */
    public StepSignals build() {
        return new StepSignals(
                gcPause,
                gcPauses,
                gcPause,
                collector,
                arrays,
                arrayBytes,
                growing,
                site,
                systemCpu,
                waitCpu,
                processCpu,
                runnable,
                cores,
                threads,
                checkpoint);
    }
}
