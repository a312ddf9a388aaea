package io.trainsight.gpu.internal.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuSample;
import io.trainsight.gpu.internal.cuda.CudaDevice;
import io.trainsight.gpu.internal.cuda.CudaDevices;
import io.trainsight.gpu.internal.cuda.DeviceMapping;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The binding against the machine's own NVML; skipped where there is none (the same paths run
 * against the fake in {@link NvmlProbeTest}).
 */
@Tag("gpu")
class RealGpuTest {

    @Test
    void samplesEveryGpuOfThisMachine() {
        Optional<NvmlProbe> opened = openMachinesNvml();
        assumeTrue(opened.isPresent(), "this machine has no NVML");
        NvmlProbe probe = opened.get();
        assumeTrue(!probe.devices().isEmpty(), "NVML reports no GPU");
        try (GpuMonitor monitor = GpuMonitor.builder().addProbe(probe).build()) {
            monitor.sampleNow();
            for (GpuSample gpu : monitor.latest().orElseThrow().gpus()) {
                assertThat(gpu.device().uuid()).startsWith("GPU-");
                assertThat(gpu.get(GpuMetric.MEMORY_TOTAL).orElseThrow()).isPositive();
                assertThat(gpu.get(GpuMetric.MEMORY_USED).orElseThrow())
                        .isLessThanOrEqualTo(gpu.get(GpuMetric.MEMORY_TOTAL).orElseThrow());
                assertThat(gpu.get(GpuMetric.UTILIZATION_GPU).orElse(0)).isBetween(0L, 100L);
                assertThat(gpu.device().pciBusId())
                        .matches("[0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\\.0");
            }
            assertThat(monitor.processes(0)).isNotNull();
            CudaDevices cuda = CudaDevices.probe(Optional.empty());
            assumeTrue(cuda.failure().isEmpty(), "the CUDA driver: " + cuda.failure().orElse(""));
            List<Integer> ordinals = cuda.devices().stream().map(CudaDevice::ordinal).toList();
            DeviceMapping mapping =
                    DeviceMapping.resolve(ordinals, monitor.devices(), cuda, System.getenv());
            assertThat(mapping.problems()).as("every CUDA device is one of NVML's GPUs").isEmpty();
            for (CudaDevice device : cuda.devices()) {
                int index = mapping.byOrdinal().get(device.ordinal());
                assertThat(monitor.devices().get(index).uuid())
                        .as("cuda:%d by PCI bus id has the same UUID", device.ordinal())
                        .isEqualToIgnoringCase(device.uuid());
            }
        }
    }

    private static Optional<NvmlProbe> openMachinesNvml() {
        try {
            return Optional.of(NvmlProbe.open(Optional.empty(), Duration.ZERO, event -> {}));
        } catch (NvmlException e) {
            return Optional.empty();
        }
    }
}
