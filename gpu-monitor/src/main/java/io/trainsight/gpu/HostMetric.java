package io.trainsight.gpu;

/**
 * The numbers sampled for the host, each stored as a {@code long}; percentages are stored in
 * thousandths of a percent ({@link #scale()} 1000), so {@code value / scale()} is the figure in
 * {@link #unit()}.
 */
public enum HostMetric {
    /** CPU used by this process since the previous tick, percent of one core (top's %CPU). */
    PROCESS_CPU("process_cpu_percent", "percent of one core", 1000),
    /** Resident set size of this process, bytes. */
    PROCESS_RSS("process_rss_bytes", "bytes", 1),
    /** CPU busy on the whole machine since the previous tick, percent of all cores. */
    SYSTEM_CPU("system_cpu_percent", "percent", 1000),
    /** Memory in use on the machine (total less available), bytes. */
    SYSTEM_MEMORY_USED("memory_used_bytes", "bytes", 1),
    /** Memory of the machine, bytes. */
    SYSTEM_MEMORY_TOTAL("memory_total_bytes", "bytes", 1),
    /** Java heap in use, bytes. */
    JVM_HEAP_USED("jvm_heap_used_bytes", "bytes", 1),
    /** Java heap committed, bytes. */
    JVM_HEAP_COMMITTED("jvm_heap_committed_bytes", "bytes", 1),
    /** The largest the Java heap may grow, bytes. */
    JVM_HEAP_MAX("jvm_heap_max_bytes", "bytes", 1),
    /**
     * Threads runnable on the whole machine at the tick (running or waiting for a core), the
     * sampler's own thread included: the fourth field of {@code /proc/loadavg}.
     */
    RUNNABLE_THREADS("runnable_threads", "threads", 1);

    private final String jsonName;
    private final String unit;
    private final long scale;

    HostMetric(String jsonName, String unit, long scale) {
        this.jsonName = jsonName;
        this.unit = unit;
        this.scale = scale;
    }

    /**
     * Returns the field name of this metric in the JSON output.
     *
     * @return a lowercase name that ends with the unit
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Returns the unit of {@code stored value / scale()}.
     *
     * @return the unit, in words
     */
    public String unit() {
        return unit;
    }

    /**
     * Returns how many stored units make one {@link #unit()}.
     *
     * @return 1000 for percentages, 1 otherwise
     */
    public long scale() {
        return scale;
    }

    /**
     * Converts a stored value to the figure in {@link #unit()}.
     *
     * @param stored the stored value, not {@link SampleRing#ABSENT}
     * @return the value divided by the scale
     */
    public double toUnit(long stored) {
        return scale == 1 ? stored : (double) stored / scale;
    }
}
