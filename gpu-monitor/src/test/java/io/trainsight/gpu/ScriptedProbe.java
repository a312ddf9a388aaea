package io.trainsight.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe for the tests: at tick k it writes {@code base + k} into every GPU metric of each of its
 * GPUs and every host metric, and throws at the ticks it is told to.
 */
public final class ScriptedProbe implements Probe {

    private final List<DeviceInfo> devices = new ArrayList<>();
    private final long base;
    private final AtomicInteger ticks = new AtomicInteger();
    private volatile int throwAtTick = -1;
    private volatile boolean closed;
    private final boolean writesHost;

    /**
     * Creates the probe.
     *
     * @param gpus how many GPUs it has
     * @param base the value written at tick 0
     * @param writesHost whether it writes the host metrics too
     */
    public ScriptedProbe(int gpus, long base, boolean writesHost) {
        for (int i = 0; i < gpus; i++) {
            devices.add(new DeviceInfo(i, "Scripted " + i, "GPU-scripted-" + base + "-" + i));
        }
        this.base = base;
        this.writesHost = writesHost;
    }

    void throwAt(int tick) {
        throwAtTick = tick;
    }

    int ticks() {
        return ticks.get();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public List<DeviceInfo> devices() {
        return devices;
    }

    @Override
    public void sample(SampleWriter out) {
        int tick = ticks.getAndIncrement();
        if (tick == throwAtTick) {
            throw new IllegalStateException("scripted failure at tick " + tick);
        }
        for (int gpu = 0; gpu < devices.size(); gpu++) {
            for (GpuMetric metric : GpuMetric.values()) {
                out.gpu(gpu, metric, base + tick);
            }
        }
        if (writesHost) {
            for (HostMetric metric : HostMetric.values()) {
                out.host(metric, base + tick);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
