package io.trainsight.gpu.internal.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuSample;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every tick reads the GPU's compute processes: this process's own memory (its PID's entry), and
 * the others' memory and count; the others' SM share comes from the per-process utilisation.
 */
class NvmlProcessTickTest {

    private static final int OWN = (int) ProcessHandle.current().pid();

    private GpuMonitor monitor;

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    private GpuSample tick(FakeNvml fake) {
        if (monitor == null) {
            NvmlProbe probe =
                    NvmlProbe.open(Optional.of(fake.path().toString()), Duration.ZERO, e -> {});
            monitor = GpuMonitor.builder().addProbe(probe).build();
        }
        monitor.sampleNow();
        return monitor.latest().orElseThrow().gpus().get(0);
    }

    @Test
    void separatesThisProcessFromTheOthers() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        fake.processes(0, new int[] {4001, OWN, 4002}, new long[] {56L << 30, 9L << 30, 1L << 30})
                .processSm(0, 35, 60, 80);

        GpuSample gpu = tick(fake);

        assertThat(gpu.get(GpuMetric.PROCESS_MEMORY)).hasValue(9L << 30);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY)).hasValue(57L << 30);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES)).hasValue(2);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_SM))
                .as("the busiest other process, not this one")
                .hasValue(80);
    }

    @Test
    void withoutThisProcessOnTheGpuItsMemoryIsAbsent() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        fake.processes(0, new int[] {4001}, new long[] {2L << 30});

        GpuSample gpu = tick(fake);

        assertThat(gpu.get(GpuMetric.PROCESS_MEMORY)).isEmpty();
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY)).hasValue(2L << 30);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES)).hasValue(1);
    }

    @Test
    void anIdleGpuHasNoOtherProcessesAndNoOtherUtilisation() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);

        GpuSample gpu = tick(fake);

        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY)).hasValue(0);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES)).hasValue(0);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_SM))
                .as("NOT_FOUND: no process ran since the last read")
                .hasValue(0);
    }

    @Test
    void moreProcessesThanTheBufferHoldsGrowItOnce() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        tick(fake); // the buffer is sized with no process
        int[] pids = new int[16];
        long[] memory = new long[16];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = 5000 + i;
            memory[i] = 1L << 20;
        }
        pids[7] = OWN;
        fake.processes(0, pids, memory);

        GpuSample gpu = tick(fake);

        assertThat(gpu.get(GpuMetric.PROCESS_MEMORY)).hasValue(1L << 20);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES)).hasValue(15);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY)).hasValue(15L << 20);
    }

    @Test
    void theOldDriversSixteenByteEntriesAreReadOnEveryTick() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.OLD_DRIVER).devices(1);
        fake.processes(0, new int[] {OWN, 4001}, new long[] {3L << 30, 5L << 30});

        GpuSample gpu = tick(fake);

        assertThat(gpu.get(GpuMetric.PROCESS_MEMORY)).hasValue(3L << 30);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY)).hasValue(5L << 30);
        assertThat(fake.calls("processes_v3")).isZero();
    }
}
