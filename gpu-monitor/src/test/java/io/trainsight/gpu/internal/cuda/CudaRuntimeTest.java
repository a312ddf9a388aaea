package io.trainsight.gpu.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.NativeLibrary;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a pip-installed torch's libcudart, which JNA cannot find by itself. */
class CudaRuntimeTest {

    @TempDir Path tmp;

    /** A pip layout: site-packages/torch/lib and site-packages/nvidia/cuda_runtime/lib. */
    private Path pipTorch() throws IOException {
        Path site = tmp.resolve("venv/lib/python3.12/site-packages");
        Path torchLib = Files.createDirectories(site.resolve("torch/lib"));
        Files.writeString(torchLib.resolve("libtorch.so"), "");
        Path runtime = Files.createDirectories(site.resolve("nvidia/cuda_runtime/lib"));
        Files.copy(FakeCuda.runtimePath(), runtime.resolve("libcudart.so.12"));
        return torchLib;
    }

    @Test
    void findsTheCudaRuntimeWheelBesideTorch() throws IOException {
        Path torchLib = pipTorch();
        Path runtime = torchLib.getParent().getParent().resolve("nvidia/cuda_runtime/lib");

        List<Path> path =
                CudaRuntime.libraryPath(
                        Map.of("PYTORCH_LIBRARY_PATH", torchLib.toString()), Map.of());

        assertThat(path).first().isEqualTo(runtime);
        assertThat(
                        CudaRuntime.libraryPath(
                                Map.of(), Map.of("PYTORCH_LIBRARY_PATH", torchLib.toString())))
                .as("PYTORCH_LIBRARY_PATH as a system property, as DJL also reads it")
                .first()
                .isEqualTo(runtime);
    }

    @Test
    void findsCuda13sSingleWheelFolderToo() throws IOException {
        Path site = tmp.resolve("site-packages");
        Path torchLib = Files.createDirectories(site.resolve("torch/lib"));
        Path cu13 = Files.createDirectories(site.resolve("nvidia/cu13/lib"));
        Files.createDirectories(site.resolve("nvidia/cublas/lib"));
        Files.copy(FakeCuda.runtimePath(), cu13.resolve("libcudart.so.13"));

        assertThat(
                        CudaRuntime.libraryPath(
                                Map.of("PYTORCH_LIBRARY_PATH", torchLib.toString()), Map.of()))
                .first()
                .isEqualTo(cu13);
    }

    @Test
    void anotherTorchLayoutAddsNothingFromIt() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));

        assertThat(
                        CudaRuntime.libraryPath(
                                Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), Map.of()))
                .noneMatch(p -> p.startsWith(tmp));
    }

    @Test
    void jnaFindsAVersionedNameOnlyThroughJnaLibraryPath() throws IOException {
        // a name of its own, so that no library of the machine answers for it
        Path folder = Files.createDirectories(tmp.resolve("wheel/lib"));
        Files.copy(FakeCuda.runtimePath(), folder.resolve("libtsfakecudart.so.12"));
        String before = System.getProperty(CudaRuntime.JNA_LIBRARY_PATH);
        try {
            assertThatThrownBy(() -> NativeLibrary.getInstance("tsfakecudart"))
                    .isInstanceOf(UnsatisfiedLinkError.class);

            CudaRuntime.addToJnaLibraryPath(List.of(folder));

            assertThat(NativeLibrary.getInstance("tsfakecudart").getFile())
                    .isEqualTo(folder.resolve("libtsfakecudart.so.12").toFile());
        } finally {
            if (before == null) {
                System.clearProperty(CudaRuntime.JNA_LIBRARY_PATH);
            } else {
                System.setProperty(CudaRuntime.JNA_LIBRARY_PATH, before);
            }
        }
    }

    @Test
    void addsFoldersToJnaLibraryPathOnceAfterWhatIsThere() {
        String before = System.getProperty(CudaRuntime.JNA_LIBRARY_PATH);
        try {
            System.setProperty(CudaRuntime.JNA_LIBRARY_PATH, "/opt/first");
            Path folder = tmp.resolve("cudart");

            assertThat(CudaRuntime.addToJnaLibraryPath(List.of(folder)))
                    .contains("/opt/first" + File.pathSeparator + folder);
            assertThat(CudaRuntime.addToJnaLibraryPath(List.of(folder))).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(CudaRuntime.JNA_LIBRARY_PATH);
            } else {
                System.setProperty(CudaRuntime.JNA_LIBRARY_PATH, before);
            }
        }
    }
}
