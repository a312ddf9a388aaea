package io.trainsight.gpu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples every NVIDIA GPU (through NVML, when the machine has it) and the host at a fixed rate on
 * a daemon thread, into a {@link SampleRing}.
 *
 * <pre>{@code
 * try (GpuMonitor monitor = GpuMonitor.builder().optInterval(Duration.ofMillis(50)).build()) {
 *     monitor.start();
 *     ...
 *     monitor.latest().ifPresent(snapshot -> ...);
 * }
 * }</pre>
 *
 * <p>Without NVML (no library, no driver, no GPU) the monitor samples the host only and says so
 * once, in one INFO line. {@link #start()}, {@link #stop()} and {@link #close()} may be called any
 * number of times; {@code close} stops the thread and shuts NVML down.
 */
public final class GpuMonitor implements AutoCloseable {

    /** The shortest sampling interval. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    /** The longest sampling interval. */
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    /** The default sampling interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);

    /** The default number of samples kept (about 7 minutes at 50 ms). */
    public static final int DEFAULT_CAPACITY = 8192;

    /** The largest number of samples kept. */
    public static final int MAX_CAPACITY = 1 << 22;

    private final List<Probe> probes;
    private final DeviceIndex index;
    private final Optional<String> noGpuReason;
    private final Duration interval;
    private final SampleRing ring;
    private final Sampler sampler;
    private final Object lifecycle = new Object();
    private boolean closed;

    private GpuMonitor(
            List<Probe> probes,
            Optional<String> noGpuReason,
            Duration interval,
            int capacity,
            MonitorListener events) {
        this.probes = List.copyOf(probes);
        this.noGpuReason = noGpuReason;
        this.interval = interval;
        this.index = new DeviceIndex(this.probes);
        this.ring = new SampleRing(capacity, index.devices().size());
        this.sampler = new Sampler(this.probes, ring, interval.toNanos(), events);
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts sampling on the monitor's thread; does nothing if it runs.
     *
     * @throws IllegalStateException if the monitor is closed
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the GPU monitor is closed; build a new one");
            }
            sampler.start();
        }
    }

    /** Stops sampling and waits for the last tick; does nothing if it is stopped. */
    public void stop() {
        synchronized (lifecycle) {
            sampler.stop();
        }
    }

    /**
     * Tells whether the sampling thread runs.
     *
     * @return whether it runs
     */
    public boolean isRunning() {
        Thread thread = sampler.thread();
        return thread != null && thread.isAlive();
    }

    /**
     * Returns the sampling thread, for measurements of its CPU time and allocations.
     *
     * @return the thread, or empty when sampling is stopped
     */
    public Optional<Thread> samplerThread() {
        return Optional.ofNullable(sampler.thread());
    }

    /**
     * Takes one sample now, on the caller's thread; only while the sampler is stopped.
     *
     * @throws IllegalStateException if the sampler runs or the monitor is closed
     */
    public void sampleNow() {
        synchronized (lifecycle) {
            if (closed || sampler.thread() != null) {
                throw new IllegalStateException(
                        closed ? "the GPU monitor is closed" : "the sampler thread is running");
            }
            sampler.tick();
        }
    }

    /**
     * Returns the GPUs sampled, fetched once when the monitor was built.
     *
     * @return the GPUs, indexed from 0; empty without NVML
     */
    public List<DeviceInfo> devices() {
        return index.devices();
    }

    /**
     * Returns the GPU driver's versions.
     *
     * @return the versions, or empty without NVML
     */
    public Optional<DriverInfo> driver() {
        return index.driver();
    }

    /**
     * Tells why no GPU is sampled.
     *
     * @return the reason, or empty when NVML is in use
     */
    public Optional<String> noGpuReason() {
        return noGpuReason;
    }

    /**
     * Returns the sampling interval.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns the ring the samples go to, for lock-free reads.
     *
     * @return the ring
     */
    public SampleRing ring() {
        return ring;
    }

    /**
     * Tells whether a GPU was lost.
     *
     * @param gpu the GPU's index
     * @return whether it is no longer sampled
     */
    public boolean isLost(int gpu) {
        return probes.get(index.probeOf(gpu)).isLost(index.localIndex(gpu));
    }

    /**
     * Copies the latest sample.
     *
     * @return the sample, or empty before the first one
     */
    public Optional<Snapshot> latest() {
        SampleView view = ring.newView();
        for (int attempt = 0; attempt < 8; attempt++) {
            long sequence = ring.count() - 1;
            if (sequence < 0) {
                return Optional.empty();
            }
            if (ring.read(sequence, view)) {
                return Optional.of(snapshot(view));
            }
        }
        return Optional.empty();
    }

    private Snapshot snapshot(SampleView view) {
        List<GpuSample> gpus = new ArrayList<>(index.devices().size());
        for (DeviceInfo device : index.devices()) {
            gpus.add(new GpuSample(device, isLost(device.index()), view));
        }
        return new Snapshot(
                view.sequence(),
                view.nanoTime(),
                ring.toEpochMillis(view.nanoTime()),
                gpus,
                new HostSample(view));
    }

    /**
     * Waits until the ring holds at least {@code count} samples.
     *
     * @param count the number of samples to wait for
     * @param timeout the longest wait
     * @return whether they are there
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitSamples(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = Math.min(TimeUnit.MILLISECONDS.toNanos(5), interval.toNanos() / 4);
        while (ring.count() < count) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (System.nanoTime() - deadline >= 0 || sampler.failure() != null) {
                return false;
            }
            LockSupport.parkNanos(pause);
        }
        return true;
    }

    /**
     * Lists the compute processes on a GPU now (this allocates: for the CLI and the occasional
     * query, not for every tick).
     *
     * @param gpu the GPU's index
     * @return the processes; empty when the GPU is lost or cannot tell
     * @throws io.trainsight.gpu.internal.nvml.NvmlException if NVML fails
     */
    public List<GpuProcess> processes(int gpu) {
        synchronized (lifecycle) {
            if (closed) {
                return List.of();
            }
            return probes.get(index.probeOf(gpu)).processes(index.localIndex(gpu));
        }
    }

    /**
     * Returns what stopped the sampling thread, other than {@link #stop()}.
     *
     * @return the error, or empty
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(sampler.failure());
    }

    /** Stops sampling and releases NVML and the host's files; later calls do nothing. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            sampler.stop();
            for (Probe probe : probes) {
                probe.close();
            }
        }
    }

    /** Configures and builds a {@link GpuMonitor}; {@link #build()} opens the probes. */
    public static final class Builder {

        private Duration interval = DEFAULT_INTERVAL;
        private int capacity = DEFAULT_CAPACITY;
        private Optional<String> nvmlLibrary = Optional.empty();
        private Duration pcieInterval = Duration.ofSeconds(1);
        private final List<Probe> probes = new ArrayList<>();
        private final List<MonitorListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * Sets the sampling interval (default 50 ms).
         *
         * @param interval from 10 ms to 10 s
         * @return this builder
         */
        public Builder optInterval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /**
         * Sets how many samples the ring keeps (default 8192).
         *
         * @param capacity from 2 to {@link #MAX_CAPACITY}
         * @return this builder
         */
        public Builder optCapacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /**
         * Names the NVML library, a path or a name; without it the system property {@value
         * Settings#NVML_LIBRARY_PROPERTY}, else the environment variable {@value
         * Settings#NVML_LIBRARY_ENV}, else the platform's default ({@code libnvidia-ml.so.1}).
         *
         * @param library the library
         * @return this builder
         */
        public Builder optNvmlLibrary(String library) {
            this.nvmlLibrary = Optional.of(library);
            return this;
        }

        /**
         * Sets how often PCIe throughput is read (default 1 s): NVML measures it over 20 ms per
         * direction, blocking the sampler that long. Between reads the last value is repeated.
         *
         * @param pcieInterval zero for every tick, or a positive duration
         * @return this builder
         */
        public Builder optPcieInterval(Duration pcieInterval) {
            this.pcieInterval = pcieInterval;
            return this;
        }

        /**
         * Adds a probe of its own; a monitor with probes added samples those only (no NVML or host
         * probe of its own), in the order added.
         *
         * @param probe the probe, closed with the monitor
         * @return this builder
         */
        public Builder addProbe(Probe probe) {
            probes.add(probe);
            return this;
        }

        /**
         * Adds a listener of the monitor's events (lost GPUs, unsupported metrics, no GPU).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(MonitorListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Checks the settings and opens the probes: NVML where it loads, and the host.
         *
         * @return the monitor, not started
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public GpuMonitor build() {
            if (interval == null
                    || interval.compareTo(MIN_INTERVAL) < 0
                    || interval.compareTo(MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException(
                        "interval must be from 10 ms to 10 s, got " + Durations.format(interval));
            }
            if (capacity < 2 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException(
                        "capacity must be from 2 to " + MAX_CAPACITY + " samples, got " + capacity);
            }
            if (pcieInterval == null || pcieInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "pcieInterval must be zero or positive, got " + pcieInterval);
            }
            EventLog events = new EventLog(new CopyOnWriteArrayList<>(listeners));
            if (!probes.isEmpty()) {
                return new GpuMonitor(probes, Optional.empty(), interval, capacity, events);
            }
            ProbeDetection.Detected own = ProbeDetection.open(nvmlLibrary, pcieInterval, events);
            return new GpuMonitor(own.probes(), own.noGpuReason(), interval, capacity, events);
        }
    }
}
