package io.trainsight.gpu.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.HostSample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host probe's parsing on fixtures, and on this machine. */
class HostProbeTest {

    private static final String STATUS =
            "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n";
    private static final String MEMINFO =
            "MemTotal:       24000000 kB\nMemFree:         1000000 kB\n"
                    + "MemAvailable:   18000000 kB\nBuffers:  1 kB\n";

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsKeyedValuesOnlyAtTheStartOfALine() {
        ByteBuffer status = bytes(STATUS);
        int length = status.capacity();

        assertThat(
                        ProcParser.keyedValue(
                                status, length, "VmRSS:".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(123456);
        assertThat(
                        ProcParser.keyedValue(
                                status, length, "Anon:".getBytes(StandardCharsets.US_ASCII)))
                .as("RssAnon: does not match Anon:")
                .isEqualTo(-1);
        assertThat(ProcParser.keyedValue(status, 20, "VmRSS:".getBytes(StandardCharsets.US_ASCII)))
                .as("past the valid length")
                .isEqualTo(-1);
    }

    @Test
    void readsTheCpuLineOfProcStat() {
        long[] times = new long[2];
        String stat = "cpu  100 5 50 800 40 3 2 1 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n";

        assertThat(ProcParser.cpuTimes(bytes(stat), stat.length(), times)).isTrue();
        assertThat(times).containsExactly(1001, 840);
        assertThat(ProcParser.cpuTimes(bytes("cpu  1 2\n"), 9, times)).isFalse();
        assertThat(ProcParser.cpuTimes(bytes("intr 1 2\n"), 9, times)).isFalse();
    }

    @Test
    void readsTheRunnableThreadsOfProcLoadavg() {
        String loadavg = "0.52 0.61 0.70 3/1204 98765\n";

        assertThat(ProcParser.runnableThreads(bytes(loadavg), loadavg.length())).isEqualTo(3);
        assertThat(ProcParser.runnableThreads(bytes("1.00 2.00 3.00 17/99 1\n"), 22)).isEqualTo(17);
        assertThat(ProcParser.runnableThreads(bytes("0.5 0.4\n"), 8)).as("too short").isEqualTo(-1);
        assertThat(ProcParser.runnableThreads(bytes("0.5 0.4 0.3 12 1\n"), 16))
                .as("no slash")
                .isEqualTo(-1);
    }

    @Test
    void computesSharesBetweenTicksFromAProcTree(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/status"), STATUS);
        Files.writeString(proc.resolve("meminfo"), MEMINFO);
        Files.writeString(proc.resolve("stat"), "cpu  100 0 100 800 0 0 0 0 0 0\n");
        Files.writeString(proc.resolve("loadavg"), "2.10 1.50 1.00 5/300 4242\n");
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(HostProbe.open(proc)).build()) {
            monitor.sampleNow();
            HostSample first = monitor.latest().orElseThrow().host();
            Files.writeString(proc.resolve("stat"), "cpu  175 0 125 900 0 0 0 0 0 0\n");
            monitor.sampleNow();
            HostSample second = monitor.latest().orElseThrow().host();

            assertThat(first.get(HostMetric.SYSTEM_CPU)).as("needs two ticks").isEmpty();
            assertThat(second.value(HostMetric.SYSTEM_CPU)).hasValue(50.0);
            assertThat(second.get(HostMetric.PROCESS_RSS)).hasValue(123456L * 1024);
            assertThat(second.get(HostMetric.RUNNABLE_THREADS)).hasValue(5L);
            assertThat(second.get(HostMetric.SYSTEM_MEMORY_TOTAL)).hasValue(24_000_000L * 1024);
            assertThat(second.get(HostMetric.SYSTEM_MEMORY_USED)).hasValue(6_000_000L * 1024);
        }
    }

    @Test
    void samplesThisMachine() throws InterruptedException {
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(HostProbe.open()).build()) {
            monitor.sampleNow();
            // Spin for 50 ms of this thread's CPU time, not wall time: on a busy machine the
            // thread may wait for a core, and /proc counts CPU in 10 ms ticks.
            java.lang.management.ThreadMXBean threads =
                    java.lang.management.ManagementFactory.getThreadMXBean();
            long spin = threads.getCurrentThreadCpuTime() + 50_000_000L;
            double sink = 0;
            while (threads.getCurrentThreadCpuTime() < spin) {
                sink += Math.sqrt(sink + 1);
            }
            monitor.sampleNow();
            HostSample host = monitor.latest().orElseThrow().host();

            assertThat(sink).isPositive();
            assertThat(host.value(HostMetric.PROCESS_CPU).orElseThrow())
                    .as("this thread spun between the ticks")
                    .isGreaterThan(0);
            assertThat(host.get(HostMetric.PROCESS_RSS).orElseThrow()).isGreaterThan(1 << 20);
            assertThat(host.get(HostMetric.SYSTEM_MEMORY_USED).orElseThrow())
                    .isLessThan(host.get(HostMetric.SYSTEM_MEMORY_TOTAL).orElseThrow());
            assertThat(host.get(HostMetric.JVM_HEAP_USED).orElseThrow())
                    .isLessThanOrEqualTo(host.get(HostMetric.JVM_HEAP_COMMITTED).orElseThrow());
        }
    }
}
