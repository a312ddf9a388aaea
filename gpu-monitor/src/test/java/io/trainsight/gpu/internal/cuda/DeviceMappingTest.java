package io.trainsight.gpu.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import io.trainsight.gpu.internal.nvml.NvmlProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CUDA ordinals matched to NVML's GPUs through the fake CUDA driver and the fake NVML: four GPUs at
 * PCI buses 0x10, 0x20, 0x30, 0x40 (NVML's order), which the CUDA driver ranks fastest first as
 * 0x30, 0x10, 0x40, 0x20.
 */
class DeviceMappingTest {

    private static final String[] UUIDS = {
        "GPU-aaaaaaaa-0000-0000-0000-000000000000",
        "GPU-bbbbbbbb-1111-1111-1111-111111111111",
        "GPU-cccccccc-2222-2222-2222-222222222222",
        "GPU-dddddddd-3333-3333-3333-333333333333"
    };

    private FakeCuda cuda;
    private GpuMonitor monitor;

    @BeforeEach
    void machine() {
        FakeNvml nvml = FakeNvml.load(FakeNvml.Variant.CURRENT).devices(4);
        for (int i = 0; i < 4; i++) {
            nvml.device(i, "Fake GPU " + i, UUIDS[i]);
        }
        monitor =
                GpuMonitor.builder()
                        .addProbe(
                                NvmlProbe.open(
                                        Optional.of(nvml.path().toString()),
                                        Duration.ZERO,
                                        e -> {}))
                        .build();
        cuda = FakeCuda.load().gpus(gpu(2), gpu(0), gpu(3), gpu(1));
    }

    @AfterEach
    void close() {
        cuda.reset();
        monitor.close();
    }

    /** NVML's GPU i as the fake CUDA driver lists it. */
    private static String gpu(int i) {
        return UUIDS[i] + "@0000:" + Integer.toHexString(0x10 * (i + 1)) + ":00.0";
    }

    private DeviceMapping map(int... ordinals) {
        CudaDevices devices = CudaDevices.probe(Optional.of(FakeCuda.path().toString()));
        return DeviceMapping.resolve(
                java.util.Arrays.stream(ordinals).boxed().toList(),
                monitor.devices(),
                devices,
                Map.of());
    }

    @Test
    void cudaNumbersFastestFirstSoCuda0IsNotNvmlGpu0() {
        DeviceMapping mapping = map(0, 1);

        assertThat(mapping.nvmlIndices()).containsExactly(2, 0);
        assertThat(mapping.problems()).isEmpty();
        assertThat(mapping.method()).startsWith("by PCI bus id and UUID through the CUDA driver");
    }

    @Test
    void pciBusOrderMakesTheNumbersAgree() {
        cuda.set("CUDA_DEVICE_ORDER", "PCI_BUS_ID");

        assertThat(map(0, 1, 2, 3).nvmlIndices()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void visibleDevicesByIndexMakeCuda0TheGpuNamed() {
        cuda.set("CUDA_DEVICE_ORDER", "PCI_BUS_ID").set("CUDA_VISIBLE_DEVICES", "3");

        DeviceMapping mapping = map(0);

        assertThat(mapping.nvmlIndices()).containsExactly(3);
        assertThat(monitor.devices().get(3).uuid()).isEqualTo(UUIDS[3]);
    }

    @Test
    void visibleDevicesByIndexFollowTheFastestFirstOrderByDefault() {
        cuda.set("CUDA_VISIBLE_DEVICES", "1,2");

        assertThat(map(0, 1).nvmlIndices()).containsExactly(0, 3);
    }

    @Test
    void visibleDevicesByUuidPrefixMakeCuda0ThatGpu() {
        cuda.set("CUDA_VISIBLE_DEVICES", "GPU-dddddddd,GPU-bbbbbbbb");

        assertThat(map(0, 1).nvmlIndices()).containsExactly(3, 1);
    }

    @Test
    void anOrdinalTheDriverDoesNotShowIsAProblemNotAGuess() {
        cuda.set("CUDA_VISIBLE_DEVICES", "2");

        DeviceMapping mapping = map(0, 1);

        assertThat(mapping.nvmlIndices()).containsExactly(3);
        assertThat(mapping.problems())
                .containsExactly(
                        "cuda:1 is not among the 1 device(s) the CUDA driver shows this"
                                + " process");
    }

    @Test
    void aGpuNvmlDoesNotKnowIsNamed() {
        cuda.gpus("GPU-eeeeeeee-4444-4444-4444-444444444444@0000:99:00.0");

        assertThat(map(0).problems())
                .containsExactly(
                        "cuda:0 (GPU-eeeeeeee-4444-4444-4444-444444444444, PCI 0000:99:00.0) is"
                                + " none of NVML's GPUs");
    }

    @Test
    void withoutPciAddressesTheUuidMatches() {
        List<DeviceInfo> noBus =
                monitor.devices().stream()
                        .map(d -> new DeviceInfo(d.index(), d.name(), d.uuid()))
                        .toList();
        CudaDevices devices = CudaDevices.probe(Optional.of(FakeCuda.path().toString()));

        assertThat(DeviceMapping.resolve(List.of(0), noBus, devices, Map.of()).nvmlIndices())
                .containsExactly(2);
    }

    @Test
    void aDriverThatFailsToInitialiseSaysWhy() {
        cuda.set("FAKE_CUDA_INIT_ERROR", "100");

        CudaDevices devices = CudaDevices.probe(Optional.of(FakeCuda.path().toString()));

        assertThat(devices.devices()).isEmpty();
        assertThat(devices.failure())
                .contains(
                        "cuInit failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is"
                                + " detected");
        assertThat(devices.driverVersion()).isEqualTo("12.4");
    }

    @Test
    void withoutTheDriverTheVariablesDecideWhereTheyCan() {
        CudaDevices none = CudaDevices.probe(Optional.of("/nonexistent/libcuda.so.1"));
        List<DeviceInfo> gpus = monitor.devices();

        assertThat(none.failure().orElseThrow()).contains("/nonexistent/libcuda.so.1");
        DeviceMapping byUuid =
                DeviceMapping.resolve(
                        List.of(0), gpus, none, Map.of("CUDA_VISIBLE_DEVICES", "GPU-cccccccc"));
        assertThat(byUuid.nvmlIndices()).containsExactly(2);
        assertThat(byUuid.method()).startsWith("from CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER");
        DeviceMapping byBusOrder =
                DeviceMapping.resolve(
                        List.of(0),
                        gpus,
                        none,
                        Map.of("CUDA_VISIBLE_DEVICES", "1", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
        assertThat(byBusOrder.nvmlIndices()).containsExactly(1);
        DeviceMapping unknownOrder =
                DeviceMapping.resolve(List.of(0), gpus, none, Map.of("CUDA_VISIBLE_DEVICES", "1"));
        assertThat(unknownOrder.nvmlIndices()).isEmpty();
        assertThat(unknownOrder.problems().get(0))
                .startsWith("cuda:0 cannot be told apart without the CUDA driver");
    }
}
