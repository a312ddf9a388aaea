package io.trainsight.insight;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.Settings;
import io.trainsight.gpu.internal.cuda.FakeCuda;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import io.trainsight.gpu.internal.nvml.NvmlProbe;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.FindingKind;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run is diagnosed on the devices it trains on, with the fake NVML and the fake CUDA driver: a
 * CPU run on the host whatever GPUs are idle beside it; a CUDA run on the NVML GPU its ordinal is,
 * under CUDA_VISIBLE_DEVICES by index and by UUID; and on a shared GPU, on its own memory.
 */
class TrainingDevicesTest {

    private static final int STEPS = 40;
    private static final int OWN = (int) ProcessHandle.current().pid();
    private static final String[] UUIDS = {
        "GPU-aaaaaaaa-0000-0000-0000-000000000000",
        "GPU-bbbbbbbb-1111-1111-1111-111111111111",
        "GPU-cccccccc-2222-2222-2222-222222222222",
        "GPU-dddddddd-3333-3333-3333-333333333333"
    };

    @TempDir Path dir;

    private final FakeCuda cuda = FakeCuda.load();
    private GpuMonitor monitor;

    @AfterEach
    void close() {
        cuda.reset();
        System.clearProperty(Settings.CUDA_LIBRARY_PROPERTY);
        if (monitor != null) {
            monitor.close();
        }
    }

    /** A machine of idle GPUs (0 %, 1 GiB of 80 used) that CUDA ranks in PCI order. */
    private FakeNvml machine(int gpus) {
        FakeNvml nvml = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(gpus);
        String[] cudaGpus = new String[gpus];
        for (int i = 0; i < gpus; i++) {
            nvml.device(i, "Fake GPU " + i, UUIDS[i])
                    .set(i, "util_gpu", 0)
                    .set(i, "mem_total", 80L << 30)
                    .set(i, "mem_reserved", 512L << 20)
                    .set(i, "mem_used", 1L << 30);
            cudaGpus[i] = UUIDS[i] + "@0000:" + Integer.toHexString(0x10 * (i + 1)) + ":00.0";
        }
        cuda.gpus(cudaGpus).set("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        System.setProperty(Settings.CUDA_LIBRARY_PROPERTY, FakeCuda.path().toString());
        monitor =
                GpuMonitor.builder()
                        .addProbe(
                                NvmlProbe.open(
                                        Optional.of(nvml.path().toString()),
                                        Duration.ZERO,
                                        e -> {}))
                        .build();
        return nvml;
    }

    /** Runs steps that wait {@code waitShare} of their time, the GPUs sampled inside each. */
    private RunInsight run(double waitShare, Device... devices) {
        return run(
                waitShare,
                RunInsight.builder()
                        .setRunDirectory(dir)
                        .optMonitor(monitor)
                        .optPlannedSteps(STEPS)
                        .optTrainingDevices(devices)
                        .build(),
                RunStart.at(System.nanoTime()));
    }

    /** Runs the steps through an insight; the monitor is driven by hand, sampled once before. */
    private RunInsight run(double waitShare, RunInsight insight, RunStart begin) {
        monitor.sampleNow();
        insight.onTrainingBegin(begin);
        for (long step = 1; step <= STEPS; step++) {
            long start = System.nanoTime();
            // steps of 2 ms or more: a wait of half of one is past input-bound-min-ms (0.5 ms)
            LockSupport.parkNanos(1_000_000);
            monitor.sampleNow();
            LockSupport.parkNanos(1_000_000);
            long end = System.nanoTime();
            long wait = Math.round((end - start) * waitShare);
            insight.onStep(
                    new StepRecord(
                            step,
                            1,
                            start,
                            end,
                            wait,
                            end - start - wait,
                            0,
                            0,
                            1f,
                            32,
                            1,
                            1f,
                            Float.NaN,
                            false));
        }
        insight.finish(StopReason.BUDGET);
        return insight;
    }

    private JsonNode summary() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void aCpuRunBesideIdleGpusIsDiagnosedOnTheHostOnly() throws IOException {
        machine(2);

        RunInsight insight =
                run(
                        0.5,
                        RunInsight.builder()
                                .setRunDirectory(dir)
                                .optMonitor(monitor)
                                .optPlannedSteps(STEPS)
                                .build(),
                        new RunStart(
                                System.nanoTime(),
                                0,
                                STEPS,
                                "cpu-run",
                                List.of(Device.cpu()),
                                java.util.Map.of(),
                                java.util.Map.of(),
                                null));

        assertThat(insight.deviceIds()).containsExactly("host");
        List<Finding> findings = insight.report().findings();
        assertThat(findings).extracting(Finding::device).containsOnly("host");
        assertThat(findings).extracting(Finding::kind).contains(FindingKind.INPUT_BOUND);
        JsonNode gpus = summary().at("/environment/gpus");
        assertThat(gpus).hasSize(2);
        assertThat(gpus).allSatisfy(g -> assertThat(g.get("role").asText()).isEqualTo("context"));
    }

    @Test
    void cuda0UnderVisibleDevicesByIndexIsDiagnosedOnThatNvmlGpuOnly() throws IOException {
        FakeNvml nvml = machine(4);
        nvml.set(3, "util_gpu", 95);
        cuda.set("CUDA_VISIBLE_DEVICES", "3");

        RunInsight insight = run(0.0, Device.gpu(0));

        assertThat(insight.deviceIds()).containsExactly("gpu3");
        assertThat(insight.report().findings())
                .as("the idle GPUs 0-2 get no low-utilisation finding: they are not the run's")
                .isEmpty();
        assertThat(insight.report().devices().get(0).stats().utilMean()).isEqualTo(95);
        JsonNode gpus = summary().at("/environment/gpus");
        assertThat(gpus.get(3).get("role").asText()).isEqualTo("training");
        assertThat(gpus.get(0).get("role").asText()).isEqualTo("context");
        assertThat(insight.report().sourceDescription()).contains("GPU 3, cuda:0");
    }

    @Test
    void cuda0UnderVisibleDevicesByUuidIsThatNvmlGpu() {
        FakeNvml nvml = machine(4);
        nvml.set(2, "util_gpu", 5);
        cuda.set("CUDA_VISIBLE_DEVICES", "GPU-cccccccc");

        RunInsight insight = run(0.0, Device.gpu(0));

        assertThat(insight.deviceIds()).containsExactly("gpu2");
        assertThat(insight.report().findings())
                .extracting(Finding::kind, Finding::device)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(FindingKind.LOW_UTILIZATION, "gpu2"));
    }

    @Test
    void onAGpuSharedWithAProcessHolding70PercentOomRiskIsJudgedOnTheRunsOwnMemory()
            throws IOException {
        FakeNvml nvml = machine(1);
        nvml.set(0, "util_gpu", 90)
                .set(0, "mem_used", 74L << 30)
                .processes(0, new int[] {4001, OWN}, new long[] {56L << 30, 8L << 30})
                .processSm(0, 40, 50);

        RunInsight insight = run(0.0, Device.gpu(0));

        List<Finding> findings = insight.report().findings();
        assertThat(findings)
                .as("74 of 79.5 GiB used on the device, but the run's own 8 GiB is far from it")
                .noneMatch(f -> f.kind() == FindingKind.OOM_RISK);
        Finding shared =
                findings.stream()
                        .filter(f -> f.kind() == FindingKind.SHARED_GPU)
                        .findFirst()
                        .orElseThrow();
        assertThat(shared.device()).isEqualTo("gpu0");
        assertThat((double) shared.evidence().get("other_processes_share")).isBetween(0.70, 0.71);
        assertThat(shared.evidence().get("other_processes_sm_max_percent")).isEqualTo(40.0);
        JsonNode summary = summary();
        assertThat(summary.at("/devices/0/memory_peak_bytes").asLong()).isEqualTo(8L << 30);
        assertThat(summary.at("/devices/0/memory_basis").asText()).isEqualTo("process");
        assertThat(summary.at("/devices/0/memory_capacity_bytes").asLong())
                .as("usable: total less reserved")
                .isEqualTo((80L << 30) - (512L << 20));
        JsonNode processes = summary.at("/environment/gpu_processes_at_end/gpu0");
        assertThat(processes).hasSize(2);
        assertThat(processes.get(0).get("pid").asInt()).isEqualTo(4001);
        assertThat(processes.get(0).get("used_memory_bytes").asLong()).isEqualTo(56L << 30);
        assertThat(processes.get(0).get("this_run").asBoolean()).isFalse();
        assertThat(processes.get(1).get("this_run").asBoolean()).isTrue();
        StringWriter table = new StringWriter();
        insight.printTable(new PrintWriter(table));
        assertThat(table.toString())
                .contains("other processes held up to 56.00 GiB")
                .contains("GPU shared with other processes on gpu0");
    }

    @Test
    void whenTheRunsPidIsNotListedTheDeviceWideMemoryIsJudgedAndTheFindingSaysSo() {
        FakeNvml nvml = machine(1);
        nvml.set(0, "util_gpu", 90)
                .set(0, "mem_used", 74L << 30)
                .processes(0, new int[] {4001, 4002}, new long[] {56L << 30, 18L << 30});

        RunInsight insight = run(0.0, Device.gpu(0));

        Finding oom =
                insight.report().findings().stream()
                        .filter(f -> f.kind() == FindingKind.OOM_RISK)
                        .findFirst()
                        .orElseThrow();
        assertThat(oom.evidence().get("memory_basis")).isEqualTo("device");
        assertThat((String) oom.evidence().get("memory_basis_note"))
                .contains("not among the GPU's compute processes");
        assertThat(oom.summary()).startsWith("device memory (every process on the GPU) peaked");
        assertThat(insight.report().findings())
                .as("the others may include the run itself: no shared-GPU finding")
                .noneMatch(f -> f.kind() == FindingKind.SHARED_GPU);
    }
}
