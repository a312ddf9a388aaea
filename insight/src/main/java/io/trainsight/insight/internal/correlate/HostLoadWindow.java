package io.trainsight.insight.internal.correlate;

import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.SampleRing;
import io.trainsight.gpu.SampleView;

/** Sums the host's load over one step's samples, reset for every step; no allocation per sample. */
final class HostLoadWindow {

    private final int machineCores;
    private double system;
    private int systemCount;
    private double systemWait;
    private int systemWaitCount;
    private double process;
    private int processCount;
    private double runnable;
    private int runnableCount;

    /**
     * Creates the window.
     *
     * @param machineCores the machine's cores, which the process's CPU of one core is divided by
     */
    HostLoadWindow(int machineCores) {
        this.machineCores = Math.max(1, machineCores);
    }

    void reset() {
        system = 0;
        systemCount = 0;
        systemWait = 0;
        systemWaitCount = 0;
        process = 0;
        processCount = 0;
        runnable = 0;
        runnableCount = 0;
    }

    void consume(SampleView sample, boolean duringWait) {
        long value = sample.host(HostMetric.SYSTEM_CPU);
        if (value != SampleRing.ABSENT) {
            double cpu = HostMetric.SYSTEM_CPU.toUnit(value);
            system += cpu;
            systemCount++;
            if (duringWait) {
                systemWait += cpu;
                systemWaitCount++;
            }
        }
        value = sample.host(HostMetric.PROCESS_CPU);
        if (value != SampleRing.ABSENT) {
            process += Math.min(100, HostMetric.PROCESS_CPU.toUnit(value) / machineCores);
            processCount++;
        }
        value = sample.host(HostMetric.RUNNABLE_THREADS);
        if (value != SampleRing.ABSENT) {
            // the sampler's own thread is running while it reads /proc/loadavg
            runnable += Math.max(0, value - 1);
            runnableCount++;
        }
    }

    HostLoad summary() {
        return new HostLoad(
                systemCount == 0 ? Double.NaN : system / systemCount,
                systemWaitCount == 0 ? Double.NaN : systemWait / systemWaitCount,
                processCount == 0 ? Double.NaN : process / processCount,
                runnableCount == 0 ? Double.NaN : runnable / runnableCount);
    }
}
