package io.trainsight.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.cli.CliRun;
import io.trainsight.gpu.Settings;
import io.trainsight.gpu.internal.cuda.FakeCuda;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code trainsight doctor} in-process, on a machine of two fake GPUs (the fake NVML and the fake
 * CUDA driver, which ranks them in the other order) with the CPU libtorch of the class path: it
 * lists the GPUs, tells which GPU each CUDA device is, and says the GPU goes unused because the
 * libtorch is the CPU build, and how to fix it; training can run, so it exits 0.
 */
class DoctorCommandTest {

    private static final String A = "GPU-aaaaaaaa-0000-0000-0000-000000000000";
    private static final String B = "GPU-bbbbbbbb-1111-1111-1111-111111111111";

    private final FakeCuda cuda = FakeCuda.load();

    @AfterEach
    void forget() {
        cuda.reset();
        System.clearProperty(Settings.NVML_LIBRARY_PROPERTY);
        System.clearProperty(Settings.CUDA_LIBRARY_PROPERTY);
    }

    private void twoGpus() {
        FakeNvml nvml =
                FakeNvml.load(FakeNvml.Variant.CURRENT)
                        .devices(2)
                        .versions("570.86.15", "12.570.86.15")
                        .cudaVersion(12080);
        nvml.device(0, "NVIDIA H100 80GB HBM3", A).device(1, "NVIDIA H100 80GB HBM3", B);
        nvml.set(0, "mem_total", 80L << 30).set(1, "mem_total", 80L << 30);
        cuda.gpus(B + "@0000:20:00.0", A + "@0000:10:00.0");
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, nvml.path().toString());
        System.setProperty(Settings.CUDA_LIBRARY_PROPERTY, FakeCuda.path().toString());
    }

    @Test
    void jsonListsTheGpusTheCudaDevicesAndWhyTheGpuIsNotUsed() throws Exception {
        twoGpus();

        CliRun run = CliRun.of("doctor", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doctor = new ObjectMapper().readTree(run.out());
        assertThat(doctor.get("can_train").asBoolean()).isTrue();
        assertThat(doctor.get("device").asText()).isEqualTo("cpu");
        assertThat(doctor.at("/nvml/driver_version").asText()).as(run.out()).isEqualTo("570.86.15");
        assertThat(doctor.at("/nvml/cuda_version").asText()).isEqualTo("12.8");
        assertThat(doctor.at("/nvml/gpus/1/uuid").asText()).isEqualTo(B);
        assertThat(doctor.at("/nvml/gpus/1/pci_bus_id").asText()).isEqualTo("00000000:20:00.0");
        assertThat(doctor.at("/nvml/gpus/0/memory_total_bytes").asLong()).isEqualTo(80L << 30);
        assertThat(doctor.at("/cuda_driver/devices/0/nvml_index").asInt())
                .as("cuda:0 is the faster GPU, NVML's GPU 1")
                .isEqualTo(1);
        assertThat(doctor.at("/engine/loaded").asBoolean()).isTrue();
        assertThat(doctor.at("/engine/version").asText()).isEqualTo("2.7.1");
        assertThat(doctor.at("/engine/cuda_build").asBoolean()).isFalse();
        assertThat(doctor.at("/engine/class_path_libtorch/flavor").asText()).isEqualTo("cpu");
        assertThat(doctor.at("/engine/jni_version").asText()).isEqualTo("2.7.1-0.36.0");
        assertThat(doctor.get("mkl").asText())
                .as("MKL's code path is decided when the engine starts, and said")
                .isNotBlank()
                .doesNotContain(
                        "had started before", "unknown", "could not load", "does not ask it");
        assertThat(doctor.at("/problems/0/cause").asText())
                .startsWith(
                        "the libtorch loaded is the CPU build from the class path jar"
                                + " pytorch-native-cpu-2.7.1");
        assertThat(doctor.at("/problems/0/fix").asText())
                .contains("PYTORCH_FLAVOR=cu128")
                .contains("DJL_OFFLINE=false does not fetch a CUDA libtorch");
        assertThat(doctor.get("verdict").asText())
                .startsWith("ready on the CPU only: the GPU is not used because the libtorch");
    }

    @Test
    void textEndsWithTheVerdict() {
        twoGpus();

        CliRun run = CliRun.of("doctor");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("NVML       driver 570.86.15, NVML 12.570.86.15, CUDA 12.8, 2 GPU(s)")
                .contains("  gpu1     NVIDIA H100 80GB HBM3, " + B + ", PCI 00000000:20:00.0")
                .contains("  cuda:0    = gpu1 (" + B + ", PCI 0000:20:00.0)")
                .contains("engine     PyTorch 2.7.1 from the class path jar");
        assertThat(run.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("verdict    ready on the CPU only");
    }

    @Test
    void withoutAGpuTheCpuIsReady() {
        System.setProperty(Settings.NVML_LIBRARY_PROPERTY, "/nonexistent/libnvidia-ml.so.1");
        System.setProperty(Settings.CUDA_LIBRARY_PROPERTY, "/nonexistent/libcuda.so.1");

        CliRun run = CliRun.of("doctor");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("NVML       no GPU: /nonexistent/libnvidia-ml.so.1 could not be loaded")
                .contains("verdict    ready: train would use the CPU (no NVIDIA GPU:");
    }
}
