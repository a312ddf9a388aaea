package io.trainsight.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.gpu.internal.cuda.FakeCuda;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar trainsight.jar doctor --json} in a child JVM, with {@code PYTORCH_LIBRARY_PATH}
 * naming a pip install of torch whose CUDA runtime exists only as {@code
 * nvidia/cuda_runtime/lib/libcudart.so.12}: JNA (and so DJL's GPU count) finds that file only
 * through {@code jna.library.path}, which the application extends with it before the engine starts.
 * That folder holds no libtorch, so the engine falls back to the class path's CPU build, which the
 * doctor names.
 */
class DoctorJarIT {

    private static final Path JAR = Paths.get("target", "trainsight.jar").toAbsolutePath();

    @TempDir Path tmp;

    @Test
    void aPipTorchsCudaRuntimeFolderIsAddedToJnaLibraryPath() throws Exception {
        Path site = tmp.resolve("venv/lib/python3.12/site-packages");
        Path torchLib = Files.createDirectories(site.resolve("torch/lib"));
        Path runtime = Files.createDirectories(site.resolve("nvidia/cuda_runtime/lib"));
        Files.copy(FakeCuda.runtimePath(), runtime.resolve("libcudart.so.12"));
        Path stdout = tmp.resolve("out.json");
        Path stderr = tmp.resolve("err.txt");
        ProcessBuilder builder =
                new ProcessBuilder(
                                List.of(
                                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Djna.library.path=/opt/users/own",
                                        "-jar",
                                        JAR.toString(),
                                        "doctor",
                                        "--json"))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        builder.environment().put("PYTORCH_LIBRARY_PATH", torchLib.toString());
        builder.environment().put("TRAINSIGHT_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
        builder.environment().put("TRAINSIGHT_CUDA_LIBRARY", "/nonexistent/libcuda.so.1");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(err).isZero();
        JsonNode doctor = new ObjectMapper().readTree(stdout.toFile());
        assertThat(doctor.at("/engine/cuda_runtime/jna_library_path").asText())
                .as("the user's own entry first, then the wheel's folder")
                .startsWith("/opt/users/own:" + runtime);
        assertThat(doctor.at("/engine/pytorch_library_path/libtorch_so").asBoolean()).isFalse();
        assertThat(doctor.at("/engine/source").asText())
                .startsWith("the class path jar pytorch-native-cpu-2.7.1");
        assertThat(doctor.get("can_train").asBoolean()).isTrue();
    }
}
