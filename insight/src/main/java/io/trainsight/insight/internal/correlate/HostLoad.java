package io.trainsight.insight.internal.correlate;

/**
 * The load of the host's CPUs during one step, from the host's samples (taken with or without a
 * GPU): the machine's CPU, this process's share of it, and the threads waiting for a core. NaN when
 * the samples do not have it (not Linux, or no sample yet).
 *
 * @param systemCpu the machine's CPU busy, percent of all cores
 * @param systemCpuDuringWait the same, over the samples taken while the step waited for data
 * @param processCpu this process's CPU, percent of all cores
 * @param runnableThreads the machine's runnable threads (running or waiting for a core), the
 *     sampler's own left out
 */
public record HostLoad(
        double systemCpu, double systemCpuDuringWait, double processCpu, double runnableThreads) {

    /**
     * Counts the machine's cores: the {@code cpuN} lines of {@code /proc/stat}, else the cores the
     * JVM may use.
     *
     * @return the count, at least 1
     */
    public static int machineCores() {
        try (java.util.stream.Stream<String> lines =
                java.nio.file.Files.lines(java.nio.file.Path.of("/proc/stat"))) {
            long count = lines.filter(line -> line.matches("cpu\\d+ .*")).count();
            if (count > 0) {
                return (int) count;
            }
        } catch (java.io.IOException | java.io.UncheckedIOException | SecurityException e) {
            // not Linux: fall back below
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Nothing known. */
    public static final HostLoad UNKNOWN =
            new HostLoad(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
