package io.trainsight.bench.monitor;

import io.trainsight.bench.Interleaved;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.internal.host.HostProbe;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import io.trainsight.gpu.internal.nvml.NvmlProbe;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The cost of the GPU monitor: nanoseconds per sampling tick (the fake NVML with 1 and 8 GPUs, the
 * host probe, and both as a default monitor samples them), bytes allocated per tick after warm-up,
 * and the sampler thread's CPU share at 10 ms and 50 ms. Contenders alternate in rounds; medians
 * are printed.
 *
 * <p>{@code benchmarks/run monitor.SamplerBenchmark [ROUNDS] [TICKS_PER_BLOCK] [SECONDS_PER_BLOCK]}
 */
public final class SamplerBenchmark {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SamplerBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args rounds (7), ticks per block (20000), seconds per CPU-share block (2)
     * @throws Exception if a block fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        THREADS.setThreadAllocatedMemoryEnabled(true);
        THREADS.setThreadCpuTimeEnabled(true);
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT);
        String library = fake.path().toString();
        // the fake's GPU count is read when a probe opens: one GPU for the first, eight after
        fake.devices(1);
        GpuMonitor nvml1 = nvmlOnly(library);
        fake.devices(8);
        for (int d = 0; d < 8; d++) {
            fake.set(d, "util_gpu", 50 + d).set(d, "mem_total", 80L << 30).set(d, "energy", 1000);
        }

        try (GpuMonitor host = GpuMonitor.builder().addProbe(HostProbe.open()).build();
                nvml1;
                GpuMonitor nvml8 = nvmlOnly(library);
                GpuMonitor both = GpuMonitor.builder().optNvmlLibrary(library).build()) {
            System.out.println(
                    "== ticks per second (higher is better), " + ticks + " ticks a block");
            Interleaved.Report report =
                    new Interleaved(rounds)
                            .add("host probe", () -> ticksPerSecond(host, ticks))
                            .add("fake NVML, 1 GPU", () -> ticksPerSecond(nvml1, ticks))
                            .add("fake NVML, 8 GPUs", () -> ticksPerSecond(nvml8, ticks))
                            .add("8 GPUs + host (default)", () -> ticksPerSecond(both, ticks))
                            .run(System.out);
            System.out.println("== per tick");
            for (var entry : report.medians().entrySet()) {
                GpuMonitor monitor =
                        switch (entry.getKey()) {
                            case "host probe" -> host;
                            case "fake NVML, 1 GPU" -> nvml1;
                            case "fake NVML, 8 GPUs" -> nvml8;
                            default -> both;
                        };
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.0f ns | %.1f B |%n",
                        entry.getKey(),
                        1e9 / entry.getValue(),
                        bytesPerTick(monitor, ticks));
            }
        }

        System.out.println(
                "== sampler thread CPU share, fake NVML (8 GPUs) + host, percent of one core");
        Interleaved.Report share =
                new Interleaved(rounds)
                        .add("50 ms", () -> cpuShare(library, Duration.ofMillis(50), seconds))
                        .add("10 ms", () -> cpuShare(library, Duration.ofMillis(10), seconds))
                        .run(System.out);
        for (var entry : share.medians().entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.3f %% |%n", entry.getKey(), entry.getValue());
        }
    }

    private static GpuMonitor nvmlOnly(String library) {
        NvmlProbe probe = NvmlProbe.open(Optional.of(library), Duration.ofSeconds(1), e -> {});
        return GpuMonitor.builder().addProbe(probe).build();
    }

    private static double ticksPerSecond(GpuMonitor monitor, int ticks) {
        long start = System.nanoTime();
        for (int i = 0; i < ticks; i++) {
            monitor.sampleNow();
        }
        return ticks * 1e9 / (System.nanoTime() - start);
    }

    /** Bytes the calling thread allocates per tick, after a warm-up. */
    private static double bytesPerTick(GpuMonitor monitor, int ticks) {
        ticksPerSecond(monitor, ticks);
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        ticksPerSecond(monitor, ticks);
        long after = THREADS.getThreadAllocatedBytes(thread);
        return (double) (after - before) / ticks;
    }

    /** Runs a monitor on its thread for a while; its CPU time as a percent of the wall time. */
    private static double cpuShare(String library, Duration interval, double seconds)
            throws InterruptedException {
        try (GpuMonitor monitor =
                GpuMonitor.builder().optNvmlLibrary(library).optInterval(interval).build()) {
            monitor.start();
            long warmUp = (long) (0.5e9 / interval.toNanos()) + 2;
            monitor.awaitSamples(warmUp, Duration.ofSeconds(30));
            long id = monitor.samplerThread().orElseThrow().getId();
            long cpu = THREADS.getThreadCpuTime(id);
            long allocated = THREADS.getThreadAllocatedBytes(id);
            long count = monitor.ring().count();
            long wall = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            double share =
                    (THREADS.getThreadCpuTime(id) - cpu) * 100.0 / (System.nanoTime() - wall);
            long samples = monitor.ring().count() - count;
            System.out.printf(
                    Locale.ROOT,
                    "   %s: %d ticks, %.1f B allocated per tick on the sampler thread%n",
                    interval.toMillis() + " ms",
                    samples,
                    (double) (THREADS.getThreadAllocatedBytes(id) - allocated) / samples);
            return share;
        }
    }
}
