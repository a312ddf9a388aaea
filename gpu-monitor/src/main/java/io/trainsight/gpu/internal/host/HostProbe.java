package io.trainsight.gpu.internal.host;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.Probe;
import io.trainsight.gpu.SampleWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The probe of the host, on any machine: this process's CPU share (from the JVM's process CPU time)
 * and resident memory ({@code /proc/self/status}), the machine's CPU share ({@code /proc/stat}) and
 * memory ({@code /proc/meminfo}, else the JVM's view), the machine's runnable threads ({@code
 * /proc/loadavg}), and the Java heap. The {@code /proc} files stay open and are read into direct
 * buffers, so a tick allocates nothing. Where a source is missing (not Linux) its metrics stay
 * absent.
 */
public final class HostProbe implements Probe {

    private static final byte[] VM_RSS = "VmRSS:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEM_TOTAL = "MemTotal:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEM_AVAILABLE = "MemAvailable:".getBytes(StandardCharsets.US_ASCII);
    private static final long KIB = 1024;
    private static final long PERCENT_SCALED = 100 * HostMetric.PROCESS_CPU.scale();

    private final Optional<ProcFile> status;
    private final Optional<ProcFile> meminfo;
    private final Optional<ProcFile> stat;
    private final Optional<ProcFile> loadavg;
    private final com.sun.management.OperatingSystemMXBean os;
    private final Runtime runtime = Runtime.getRuntime();
    private final long[] cpuTimes = new long[2];
    private long lastProcessCpu = -1;
    private long lastNanoTime;
    private long lastTotalCpu = -1;
    private long lastIdleCpu;

    private HostProbe(Path proc) {
        status = ProcFile.open(proc.resolve("self/status"), 4096);
        meminfo = ProcFile.open(proc.resolve("meminfo"), 4096);
        stat = ProcFile.open(proc.resolve("stat"), 1024);
        loadavg = ProcFile.open(proc.resolve("loadavg"), 128);
        os =
                ManagementFactory.getOperatingSystemMXBean()
                                instanceof com.sun.management.OperatingSystemMXBean sun
                        ? sun
                        : null;
    }

    /**
     * Opens the probe on this machine's {@code /proc}.
     *
     * @return the probe
     */
    public static HostProbe open() {
        return new HostProbe(Path.of("/proc"));
    }

    /**
     * Opens the probe on another {@code /proc} tree (a test fixture).
     *
     * @param proc the directory that holds {@code self/status}, {@code meminfo}, {@code stat} and
     *     {@code loadavg}
     * @return the probe
     */
    static HostProbe open(Path proc) {
        return new HostProbe(proc);
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of();
    }

    @Override
    public void sample(SampleWriter out) {
        long now = System.nanoTime();
        sampleProcessCpu(out, now);
        if (status.isPresent()) {
            kib(out, HostMetric.PROCESS_RSS, status.get(), VM_RSS);
        }
        sampleSystemCpu(out);
        sampleRunnable(out);
        sampleSystemMemory(out);
        long committed = runtime.totalMemory();
        out.host(HostMetric.JVM_HEAP_USED, committed - runtime.freeMemory());
        out.host(HostMetric.JVM_HEAP_COMMITTED, committed);
        long max = runtime.maxMemory();
        if (max != Long.MAX_VALUE) {
            out.host(HostMetric.JVM_HEAP_MAX, max);
        }
    }

    private void sampleProcessCpu(SampleWriter out, long now) {
        long cpu = os == null ? -1 : os.getProcessCpuTime();
        if (cpu >= 0 && lastProcessCpu >= 0 && now > lastNanoTime) {
            out.host(
                    HostMetric.PROCESS_CPU,
                    (cpu - lastProcessCpu) * PERCENT_SCALED / (now - lastNanoTime));
        }
        lastProcessCpu = cpu;
        lastNanoTime = now;
    }

    private void sampleSystemCpu(SampleWriter out) {
        if (stat.isEmpty()) {
            return;
        }
        ProcFile file = stat.get();
        int length = file.read();
        if (length <= 0 || !ProcParser.cpuTimes(file.buffer(), length, cpuTimes)) {
            return;
        }
        long total = cpuTimes[0];
        long idle = cpuTimes[1];
        if (lastTotalCpu >= 0 && total > lastTotalCpu) {
            long busy = (total - lastTotalCpu) - (idle - lastIdleCpu);
            out.host(HostMetric.SYSTEM_CPU, busy * PERCENT_SCALED / (total - lastTotalCpu));
        }
        lastTotalCpu = total;
        lastIdleCpu = idle;
    }

    private void sampleRunnable(SampleWriter out) {
        if (loadavg.isPresent()) {
            ProcFile file = loadavg.get();
            int length = file.read();
            long runnable = length > 0 ? ProcParser.runnableThreads(file.buffer(), length) : -1;
            if (runnable >= 0) {
                out.host(HostMetric.RUNNABLE_THREADS, runnable);
            }
        }
    }

    private void sampleSystemMemory(SampleWriter out) {
        if (meminfo.isPresent()) {
            ProcFile file = meminfo.get();
            int length = file.read();
            long total = ProcParser.keyedValue(file.buffer(), length, MEM_TOTAL);
            long available = ProcParser.keyedValue(file.buffer(), length, MEM_AVAILABLE);
            if (total >= 0 && available >= 0) {
                out.host(HostMetric.SYSTEM_MEMORY_TOTAL, total * KIB);
                out.host(HostMetric.SYSTEM_MEMORY_USED, (total - available) * KIB);
                return;
            }
        }
        if (os != null) {
            long total = os.getTotalMemorySize();
            out.host(HostMetric.SYSTEM_MEMORY_TOTAL, total);
            out.host(HostMetric.SYSTEM_MEMORY_USED, total - os.getFreeMemorySize());
        }
    }

    private static void kib(SampleWriter out, HostMetric metric, ProcFile file, byte[] key) {
        int length = file.read();
        long value = length > 0 ? ProcParser.keyedValue(file.buffer(), length, key) : -1;
        if (value >= 0) {
            out.host(metric, value * KIB);
        }
    }

    @Override
    public void close() {
        status.ifPresent(ProcFile::close);
        meminfo.ifPresent(ProcFile::close);
        stat.ifPresent(ProcFile::close);
        loadavg.ifPresent(ProcFile::close);
    }
}
