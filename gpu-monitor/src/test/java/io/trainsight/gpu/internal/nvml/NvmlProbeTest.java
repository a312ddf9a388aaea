package io.trainsight.gpu.internal.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.DriverInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.GpuSample;
import io.trainsight.gpu.MonitorEvent;
import io.trainsight.gpu.Snapshot;
import io.trainsight.gpu.ThrottleReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JNA binding against the fake libnvidia-ml: layouts, symbols, fallbacks and error paths. */
class NvmlProbeTest {

    /**
     * Fake processes' PIDs: above 2^22, the largest pid_max Linux allows, so no process or thread
     * of the machine running the test has one, and their commands read from /proc are empty.
     */
    private static final int NO_SUCH_PID = 4_194_400;

    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    private GpuMonitor monitor;

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    /** Scripts a distinct value into every field of every device, so a wrong offset shows. */
    private static FakeNvml typical(FakeNvml.Variant variant, int devices) {
        FakeNvml fake =
                FakeNvml.load(variant).devices(devices).versions("550.54.15", "12.550.54.15");
        for (int d = 0; d < devices; d++) {
            long base = 1000L * (d + 1);
            fake.set(d, "util_gpu", 11 + d)
                    .set(d, "util_memory", 22 + d)
                    .set(d, "mem_total", 85_899_345_920L + base)
                    .set(d, "mem_reserved", 536_870_912L + base)
                    .set(d, "mem_free", 60_000_000_000L + base)
                    .set(d, "mem_used", 25_362_474_496L + base)
                    .set(d, "temperature", 40 + d)
                    .set(d, "power", 312_456 + d)
                    .set(d, "power_limit", 700_000 + d)
                    .set(d, "energy", 9_876_543_210_123L + base)
                    .set(d, "clock_sm", 1980 + d)
                    .set(d, "clock_memory", 2619 + d)
                    .set(d, "clock_sm_max", 1990 + d)
                    .set(d, "clock_memory_max", 2620 + d)
                    .set(d, "throttle", 0x4L | 0x40L | (1L << 40))
                    .set(d, "pcie_tx", 12_345 + d)
                    .set(d, "pcie_rx", 23_456 + d);
        }
        return fake;
    }

    private GpuMonitor open(FakeNvml fake) {
        NvmlProbe probe =
                NvmlProbe.open(Optional.of(fake.path().toString()), Duration.ZERO, events::add);
        monitor = GpuMonitor.builder().addProbe(probe).addListener(events::add).build();
        return monitor;
    }

    private Snapshot tick() {
        monitor.sampleNow();
        return monitor.latest().orElseThrow();
    }

    @Test
    void readsEveryFieldOfEveryStructAtItsOffset() {
        open(typical(FakeNvml.Variant.CURRENT, 2));
        Snapshot snapshot = tick();

        assertThat(monitor.devices())
                .containsExactly(
                        new DeviceInfo(0, "Fake GPU 0", "GPU-fake-0", "00000000:10:00.0"),
                        new DeviceInfo(1, "Fake GPU 1", "GPU-fake-1", "00000000:20:00.0"));
        assertThat(monitor.driver()).contains(new DriverInfo("550.54.15", "12.550.54.15", "12.4"));
        for (int d = 0; d < 2; d++) {
            GpuSample gpu = snapshot.gpus().get(d);
            long base = 1000L * (d + 1);
            assertThat(gpu.get(GpuMetric.UTILIZATION_GPU)).hasValue(11 + d);
            assertThat(gpu.get(GpuMetric.UTILIZATION_MEMORY)).hasValue(22 + d);
            assertThat(gpu.get(GpuMetric.MEMORY_TOTAL)).hasValue(85_899_345_920L + base);
            assertThat(gpu.get(GpuMetric.MEMORY_RESERVED)).hasValue(536_870_912L + base);
            assertThat(gpu.get(GpuMetric.MEMORY_FREE)).hasValue(60_000_000_000L + base);
            assertThat(gpu.get(GpuMetric.MEMORY_USED)).hasValue(25_362_474_496L + base);
            assertThat(gpu.get(GpuMetric.TEMPERATURE)).hasValue(40 + d);
            assertThat(gpu.get(GpuMetric.POWER_USAGE)).hasValue(312_456 + d);
            assertThat(gpu.get(GpuMetric.POWER_LIMIT)).hasValue(700_000 + d);
            assertThat(gpu.get(GpuMetric.ENERGY)).hasValue(9_876_543_210_123L + base);
            assertThat(gpu.get(GpuMetric.CLOCK_SM)).hasValue(1980 + d);
            assertThat(gpu.get(GpuMetric.CLOCK_MEMORY)).hasValue(2619 + d);
            assertThat(gpu.get(GpuMetric.CLOCK_SM_MAX)).hasValue(1990 + d);
            assertThat(gpu.get(GpuMetric.CLOCK_MEMORY_MAX)).hasValue(2620 + d);
            assertThat(gpu.get(GpuMetric.THROTTLE_REASONS)).hasValue(0x44L | (1L << 40));
            assertThat(gpu.throttleReasons())
                    .containsExactly(
                            ThrottleReason.SW_POWER_CAP, ThrottleReason.HW_THERMAL_SLOWDOWN);
            assertThat(gpu.get(GpuMetric.PCIE_TX)).hasValue(12_345 + d);
            assertThat(gpu.get(GpuMetric.PCIE_RX)).hasValue(23_456 + d);
        }
        assertThat(events).as("nothing is unsupported on the full fake").isEmpty();
    }

    @Test
    void usesTheNewestSymbolsAndFetchesHandlesOnce() {
        FakeNvml fake = typical(FakeNvml.Variant.CURRENT, 2);
        open(fake);
        for (int i = 0; i < 5; i++) {
            tick();
        }
        assertThat(fake.calls("handle")).as("one handle fetch per GPU").isEqualTo(2);
        assertThat(fake.calls("memory_v2")).isEqualTo(10);
        assertThat(fake.calls("memory")).as("no v1 call while v2 works").isZero();
        assertThat(fake.calls("clock_events")).isEqualTo(10);
        assertThat(fake.calls("throttle")).isZero();
        assertThat(fake.calls("max_clock")).as("maximum clocks read once").isEqualTo(4);
    }

    @Test
    void anOldDriverFallsBackToTheOlderSymbolsAndStructs() {
        FakeNvml fake = typical(FakeNvml.Variant.OLD_DRIVER, 1);
        fake.processes(
                0, new int[] {NO_SUCH_PID, NO_SUCH_PID + 1}, new long[] {1_073_741_824L, -1L});
        open(fake);
        GpuSample gpu = tick().gpus().get(0);

        assertThat(gpu.get(GpuMetric.MEMORY_TOTAL)).hasValue(85_899_345_920L + 1000);
        assertThat(gpu.get(GpuMetric.MEMORY_FREE)).hasValue(60_000_000_000L + 1000);
        assertThat(gpu.get(GpuMetric.MEMORY_USED)).hasValue(25_362_474_496L + 1000);
        assertThat(gpu.get(GpuMetric.MEMORY_RESERVED)).as("only v2 knows it").isEmpty();
        assertThat(gpu.get(GpuMetric.THROTTLE_REASONS)).hasValue(0x44L | (1L << 40));
        assertThat(fake.calls("throttle")).isEqualTo(1);
        assertThat(monitor.processes(0))
                .as("the plain call fills the 16-byte v1 struct")
                .containsExactly(
                        new GpuProcess(NO_SUCH_PID, 1_073_741_824L, ""),
                        new GpuProcess(NO_SUCH_PID + 1, GpuProcess.UNKNOWN_MEMORY, ""));
        assertThat(fake.calls("processes"))
                .as("one call on the tick, the count and the list for the query")
                .isEqualTo(3);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_MEMORY))
                .as("the tick read the 16-byte entries too")
                .hasValue(1_073_741_824L);
        assertThat(gpu.get(GpuMetric.TEMPERATURE)).as("the deprecated call").hasValue(40);
        assertThat(gpu.get(GpuMetric.OTHER_PROCESSES_SM))
                .as("no per-process utilisation on this driver")
                .isEmpty();
        assertThat(monitor.devices().get(0).pciBusId()).isEqualTo("00000000:10:00.0");
        assertThat(monitor.driver().orElseThrow().cudaVersion()).isEmpty();
        assertThat(events)
                .as("the one call this driver lacks, named once")
                .singleElement()
                .isInstanceOfSatisfying(
                        MonitorEvent.MetricNotSupported.class,
                        e -> {
                            assertThat(e.metric()).isEqualTo("nvmlDeviceGetProcessUtilization");
                            assertThat(e.message()).endsWith("(an older driver)");
                        });
    }

    @Test
    void aDriverWithoutTheV2StructForAGpuFallsBackToV1() {
        FakeNvml fake =
                typical(FakeNvml.Variant.CURRENT, 1).fail("memory_v2", 0, FakeNvml.NOT_SUPPORTED);
        open(fake);
        tick();
        GpuSample gpu = tick().gpus().get(0);

        assertThat(gpu.get(GpuMetric.MEMORY_USED)).hasValue(25_362_474_496L + 1000);
        assertThat(gpu.get(GpuMetric.MEMORY_RESERVED)).isEmpty();
        assertThat(fake.calls("memory_v2")).as("v2 is not asked again").isEqualTo(1);
        assertThat(fake.calls("memory")).isEqualTo(2);
    }

    @Test
    void listsProcessesThroughV3AndGrowsTheBuffer() {
        FakeNvml fake = typical(FakeNvml.Variant.CURRENT, 1);
        int[] pids = new int[12];
        long[] memory = new long[12];
        for (int i = 0; i < pids.length; i++) {
            pids[i] = NO_SUCH_PID + 10 + i;
            memory[i] = (i + 1) * 1_048_576L;
        }
        fake.processes(0, pids, memory);
        open(fake);

        List<GpuProcess> processes = monitor.processes(0);

        assertThat(processes).hasSize(12);
        assertThat(processes.get(11))
                .isEqualTo(new GpuProcess(NO_SUCH_PID + 21, 12 * 1_048_576L, ""));
        assertThat(fake.calls("processes_v3")).as("count first, then the list").isEqualTo(2);
        assertThat(fake.calls("processes_v2")).isZero();
    }

    @Test
    void anUnsupportedMetricIsReportedOnceAndNotAskedAgain() {
        FakeNvml fake =
                typical(FakeNvml.Variant.CURRENT, 1).fail("energy", 0, FakeNvml.NOT_SUPPORTED);
        open(fake);
        for (int i = 0; i < 3; i++) {
            assertThat(tick().gpus().get(0).get(GpuMetric.ENERGY)).isEmpty();
        }

        assertThat(fake.calls("energy")).isEqualTo(1);
        assertThat(events)
                .containsExactly(
                        new MonitorEvent.MetricNotSupported(
                                0, "nvmlDeviceGetTotalEnergyConsumption", "Not Supported"));
    }

    @Test
    void aTransientErrorLeavesTheTickOutIsRetriedAndReportedOnce() {
        FakeNvml fake =
                typical(FakeNvml.Variant.CURRENT, 1).fail("temperature_v", 0, FakeNvml.UNKNOWN);
        open(fake);
        tick();
        assertThat(tick().gpus().get(0).get(GpuMetric.TEMPERATURE)).isEmpty();
        fake.fail("temperature_v", 0, 0);

        assertThat(tick().gpus().get(0).get(GpuMetric.TEMPERATURE)).hasValue(40);
        assertThat(fake.calls("temperature_v")).isEqualTo(3);
        assertThat(fake.calls("temperature")).as("a transient error is no fallback").isZero();
        assertThat(events)
                .containsExactly(
                        new MonitorEvent.MetricFailed(
                                0, "nvmlDeviceGetTemperatureV", "Unknown Error"));
    }

    @Test
    void aLostGpuIsReportedOnceAndNoLongerSampledWhileTheOthersGoOn() {
        FakeNvml fake = typical(FakeNvml.Variant.CURRENT, 2);
        open(fake);
        tick();
        fake.lost(1, true);
        tick();
        long callsAfterLoss = fake.calls("utilization");
        fake.set(0, "util_gpu", 97);
        Snapshot snapshot = tick();

        assertThat(events)
                .containsExactly(new MonitorEvent.GpuLost(1, "GPU-fake-1", "GPU is lost"));
        assertThat(monitor.isLost(1)).isTrue();
        assertThat(snapshot.gpus().get(1).lost()).isTrue();
        assertThat(snapshot.gpus().get(1).get(GpuMetric.UTILIZATION_GPU)).isEmpty();
        assertThat(snapshot.gpus().get(1).get(GpuMetric.CLOCK_SM_MAX))
                .as("cached values are not repeated for a lost GPU")
                .isEmpty();
        assertThat(snapshot.gpus().get(0).get(GpuMetric.UTILIZATION_GPU)).hasValue(97);
        assertThat(fake.calls("utilization"))
                .as("only GPU 0 is asked")
                .isEqualTo(callsAfterLoss + 1);
        assertThat(monitor.processes(1)).isEmpty();
    }

    @Test
    void errorsBecomeTypedExceptionsWithNvmlsMessage() {
        FakeNvml fake = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(1);
        fake.fail("init", -1, FakeNvml.DRIVER_NOT_LOADED);

        assertThatThrownBy(
                        () ->
                                NvmlProbe.open(
                                        Optional.of(fake.path().toString()),
                                        Duration.ZERO,
                                        events::add))
                .isInstanceOfSatisfying(
                        NvmlException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(9);
                            assertThat(e.error()).isEqualTo(NvmlError.DRIVER_NOT_LOADED);
                            assertThat(e.nvmlMessage()).isEqualTo("Driver Not Loaded");
                            assertThat(e.function()).isEqualTo("nvmlInit_v2");
                        });
        fake.fail("init", -1, 0).fail("processes_v3", 0, FakeNvml.NO_PERMISSION);
        open(fake);
        assertThatThrownBy(() -> monitor.processes(0))
                .isInstanceOf(NvmlException.class)
                .hasMessage(
                        "nvmlDeviceGetComputeRunningProcesses_v3 failed: Insufficient Permissions"
                                + " (NVML error 4)");
    }

    @Test
    void closeShutsNvmlDownOnce() {
        FakeNvml fake = typical(FakeNvml.Variant.CURRENT, 1);
        open(fake);
        assertThat(fake.initCount()).isEqualTo(1);

        monitor.close();
        monitor.close();

        assertThat(fake.initCount()).isZero();
        assertThat(fake.calls("shutdown")).isEqualTo(1);
    }

    @Test
    void aMissingLibraryIsAOneLineError() {
        assertThatThrownBy(
                        () ->
                                NvmlProbe.open(
                                        Optional.of("/nonexistent/libnvidia-ml.so.1"),
                                        Duration.ZERO,
                                        events::add))
                .isInstanceOfSatisfying(
                        NvmlException.class,
                        e -> {
                            assertThat(e.error()).isEqualTo(NvmlError.LIBRARY_NOT_FOUND);
                            assertThat(e.getMessage())
                                    .doesNotContain("\n")
                                    .contains("/nonexistent/libnvidia-ml.so.1");
                        });
    }

    @Test
    void aLibraryThatIsNotNvmlIsRefused() {
        assertThatThrownBy(() -> NvmlLibrary.open(Optional.of("libc.so.6")))
                .isInstanceOfSatisfying(
                        NvmlException.class,
                        e -> assertThat(e.error()).isEqualTo(NvmlError.FUNCTION_NOT_FOUND));
    }
}
