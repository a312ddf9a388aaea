package io.trainsight.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.DriverInfo;
import io.trainsight.gpu.internal.cuda.CudaDevice;
import io.trainsight.gpu.internal.cuda.CudaDevices;
import io.trainsight.gpu.internal.cuda.DeviceMapping;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The doctor's causes, each from the facts that show it (engine errors as DJL words them). */
class VerdictTest {

    private static final String UUID = "GPU-aaaaaaaa-0000-0000-0000-000000000000";

    /** One H100, which CUDA shows as cuda:0. */
    private static GpuFacts oneGpu() {
        CudaDevices cuda =
                new CudaDevices(
                        List.of(new CudaDevice(0, "NVIDIA H100", UUID, "0000:10:00.0")),
                        "12.8",
                        "libcuda.so.1",
                        Optional.empty());
        return new GpuFacts(
                List.of(new DeviceInfo(0, "NVIDIA H100", UUID, "00000000:10:00.0")),
                List.of(80L << 30),
                Optional.of(new DriverInfo("570.86.15", "12.570.86.15", "12.8")),
                Optional.empty(),
                cuda,
                new DeviceMapping(Map.of(0, 0), "by PCI bus id", List.of()));
    }

    private static EngineFacts engine(
            Map<String, String> settings,
            Map<String, Object> atPath,
            String error,
            boolean cuda,
            int gpus,
            Device device) {
        Map<String, String> all = new HashMap<>();
        all.put("PYTORCH_LIBRARY_PATH", null);
        all.put("PYTORCH_FLAVOR", null);
        all.putAll(settings);
        Map<String, String> jar = new LinkedHashMap<>();
        jar.put("version", "2.7.1");
        jar.put("flavor", "cpu");
        jar.put("jar", "pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        return new EngineFacts(
                all,
                jar,
                Optional.of("2.7.1-0.36.0"),
                atPath,
                "error: libcudart.so: cannot open shared object file",
                "",
                error == null,
                Optional.ofNullable(error),
                error == null ? "2.7.1" : "",
                "/opt/torch/lib",
                cuda,
                gpus,
                Optional.ofNullable(device));
    }

    @Test
    void aTorchOfAnotherVersionIsNamedWithTheUndefinedSymbol() {
        Verdict verdict =
                Verdict.of(
                        oneGpu(),
                        engine(
                                Map.of(
                                        "PYTORCH_LIBRARY_PATH",
                                        "/venv/torch/lib",
                                        "PYTORCH_FLAVOR",
                                        "cu128"),
                                Map.of(
                                        "libtorch_so",
                                        true,
                                        "folder",
                                        "/venv/torch/lib",
                                        "torch_version",
                                        "2.11.0+cu130"),
                                "Failed to load PyTorch native library: /cache/libdjl_torch.so:"
                                        + " undefined symbol: _ZN3c10abc",
                                false,
                                0,
                                null));

        assertThat(verdict.canTrain()).isFalse();
        assertThat(verdict.problems().get(0).get("cause"))
                .isEqualTo(
                        "PYTORCH_LIBRARY_PATH holds torch 2.11.0+cu130, but DJL's JNI 2.7.1-0.36.0"
                                + " is built for libtorch 2.7.1");
        assertThat(verdict.line())
                .startsWith(
                        "cannot train: the PyTorch engine does not load: DJL's JNI is built for"
                                + " libtorch 2.7.1 and does not link");
    }

    @Test
    void anUnsetFlavourIsNamed() {
        Verdict verdict =
                Verdict.of(
                        oneGpu(),
                        engine(
                                Map.of("PYTORCH_LIBRARY_PATH", "/venv/torch/lib"),
                                Map.of("libtorch_so", true, "folder", "/venv/torch/lib"),
                                "Cannot copy jni files",
                                false,
                                0,
                                null));

        assertThat(verdict.problems().get(0).get("fix"))
                .isEqualTo("set PYTORCH_FLAVOR=cu128 for a CUDA torch (cpu for a CPU one)");
    }

    @Test
    void noLibtorchAndOfflineIsNamed() {
        Verdict verdict =
                Verdict.of(
                        oneGpu(),
                        engine(
                                Map.of(),
                                Map.of(),
                                "Failed to save pytorch index file: Offline mode is enabled.",
                                false,
                                0,
                                null));

        assertThat(verdict.problems().get(0).get("cause"))
                .startsWith("no libtorch: none on the class path or in PYTORCH_LIBRARY_PATH");
    }

    @Test
    void aCudaLibtorchThatDjlCountsNoGpuForIsTheCudaRuntime() {
        Verdict verdict =
                Verdict.of(
                        oneGpu(),
                        engine(
                                Map.of(
                                        "PYTORCH_LIBRARY_PATH",
                                        "/venv/torch/lib",
                                        "PYTORCH_FLAVOR",
                                        "cu128"),
                                Map.of("libtorch_so", true, "folder", "/venv/torch/lib"),
                                null,
                                true,
                                0,
                                Device.cpu()));

        assertThat(verdict.canTrain()).isTrue();
        assertThat(verdict.device()).isEqualTo("cpu");
        assertThat(verdict.problems().get(0).get("cause"))
                .startsWith(
                        "libtorch has CUDA, but DJL counts 0 GPUs: it finds the CUDA runtime"
                            + " through JNA, which cannot load cudart (libcudart.so: cannot open");
        assertThat(verdict.problems().get(0).get("fix")).contains("jna.library.path");
    }

    @Test
    void aGpuRunNamesTheNvmlGpuItIs() {
        Verdict verdict =
                Verdict.of(
                        oneGpu(),
                        engine(
                                Map.of(
                                        "PYTORCH_LIBRARY_PATH",
                                        "/venv/torch/lib",
                                        "PYTORCH_FLAVOR",
                                        "cu128"),
                                Map.of(
                                        "libtorch_so",
                                        true,
                                        "folder",
                                        "/venv/torch/lib",
                                        "torch_version",
                                        "2.7.1+cu128"),
                                null,
                                true,
                                1,
                                Device.gpu(0)));

        assertThat(verdict.line())
                .isEqualTo("ready: train would use gpu(0) = NVML gpu0 (NVIDIA H100)");
        assertThat(verdict.problems()).isEmpty();
    }
}
