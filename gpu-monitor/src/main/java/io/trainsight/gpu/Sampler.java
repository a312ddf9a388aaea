package io.trainsight.gpu;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The sampling loop: on its own daemon thread, at a fixed rate, asks every probe to write into the
 * ring's next slot and publishes it. A probe that throws loses its values for that tick and is
 * reported once; the loop goes on. A tick that runs late does not cause a burst: missed ticks are
 * skipped.
 */
final class Sampler {

    private final List<Probe> probes;
    private final int[] firstGpu;
    private final SampleRing ring;
    private final SampleWriter writer;
    private final long intervalNanos;
    private final MonitorListener events;
    private final boolean[] failureReported;
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;

    Sampler(List<Probe> probes, SampleRing ring, long intervalNanos, MonitorListener events) {
        this.probes = List.copyOf(probes);
        this.ring = ring;
        this.writer = new SampleWriter(ring);
        this.intervalNanos = intervalNanos;
        this.events = events;
        this.failureReported = new boolean[probes.size()];
        this.firstGpu = new int[probes.size()];
        int gpus = 0;
        for (int i = 0; i < probes.size(); i++) {
            firstGpu[i] = gpus;
            gpus += probes.get(i).devices().size();
        }
    }

    /** Starts the thread unless it runs. */
    void start() {
        synchronized (lifecycle) {
            if (thread != null) {
                return;
            }
            running = true;
            thread = new Thread(this::loop, "trainsight-gpu-sampler");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the thread and waits for its last tick to end; does nothing when it is stopped. */
    void stop() {
        Thread stopping;
        synchronized (lifecycle) {
            stopping = thread;
            thread = null;
            running = false;
        }
        if (stopping == null || stopping == Thread.currentThread()) {
            return; // stopped already, or asked by a listener on the sampler itself: it ends now
        }
        LockSupport.unpark(stopping);
        boolean interrupted = false;
        while (stopping.isAlive()) {
            try {
                stopping.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the sampler's thread while it runs.
     *
     * @return the thread, or null when stopped
     */
    Thread thread() {
        synchronized (lifecycle) {
            return thread;
        }
    }

    /**
     * Returns what stopped the thread, when something other than {@link #stop()} did.
     *
     * @return the error, or null
     */
    Throwable failure() {
        return failure;
    }

    private void loop() {
        try {
            run();
        } catch (Throwable e) {
            failure = e;
            events.onEvent(new MonitorEvent.ProbeFailed("sampler", e + "; sampling stopped"));
            throw e;
        }
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            tick();
            next += intervalNanos;
            long now = System.nanoTime();
            if (now - next > intervalNanos) {
                next = now; // fell behind by more than a tick: skip the missed ones
            }
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Takes one sample: every probe writes, then the sample is published. */
    void tick() {
        long start = System.nanoTime();
        int slot = ring.beginWrite();
        for (int i = 0; i < probes.size(); i++) {
            writer.target(slot, firstGpu[i]);
            try {
                probes.get(i).sample(writer);
            } catch (RuntimeException | LinkageError e) {
                if (!failureReported[i]) {
                    failureReported[i] = true;
                    events.onEvent(
                            new MonitorEvent.ProbeFailed(
                                    probes.get(i).getClass().getSimpleName(), String.valueOf(e)));
                }
            }
        }
        ring.publish(slot, start, System.nanoTime() - start);
    }
}
