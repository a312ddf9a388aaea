package io.trainsight.gpu.internal.cuda;

import com.sun.jna.NativeLibrary;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the CUDA runtime ({@code libcudart}) is, for DJL: DJL counts GPUs by loading {@code cudart}
 * through JNA, which looks for the unversioned {@code libcudart.so} and, for versioned names such
 * as {@code libcudart.so.12}, only in {@code jna.library.path} and the linker cache, never in
 * {@code LD_LIBRARY_PATH}. A pip install of torch has only {@code
 * site-packages/nvidia/cuda_runtime/lib/libcudart.so.12}, so without its folder in {@code
 * jna.library.path} DJL sees no GPU even with a CUDA libtorch loaded. {@link #libraryPath} finds
 * the folders to add; {@link #load()} tries the load DJL makes.
 */
public final class CudaRuntime {

    /** JNA's system property of extra library folders. */
    public static final String JNA_LIBRARY_PATH = "jna.library.path";

    private CudaRuntime() {}

    /**
     * Finds the folders that hold a {@code libcudart.so*} for a torch install: {@code
     * nvidia/cuda_runtime/lib} beside each {@code site-packages/torch/lib} folder of {@code
     * PYTORCH_LIBRARY_PATH} (pip's CUDA 12 wheels), else another {@code nvidia/*}{@code /lib} that
     * holds one (CUDA 13's {@code nvidia/cu13/lib}), then {@code $CUDA_HOME/lib64} and {@code
     * /usr/local/cuda/lib64}.
     *
     * @param environment the environment ({@code PYTORCH_LIBRARY_PATH}, {@code CUDA_HOME})
     * @param properties the system properties ({@code PYTORCH_LIBRARY_PATH} may be one)
     * @return the folders that exist and hold the library, first the torch one
     */
    public static List<Path> libraryPath(
            Map<String, String> environment, Map<String, String> properties) {
        Set<Path> folders = new LinkedHashSet<>();
        String torch = environment.get("PYTORCH_LIBRARY_PATH");
        if (torch == null || torch.isBlank()) {
            torch = properties.get("PYTORCH_LIBRARY_PATH");
        }
        if (torch != null) {
            for (String entry : torch.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path lib = Path.of(entry.strip()).toAbsolutePath().normalize();
                Path site = lib.getParent() == null ? null : lib.getParent().getParent();
                if (site != null) {
                    Path nvidia = site.resolve("nvidia");
                    folders.add(nvidia.resolve("cuda_runtime").resolve("lib"));
                    folders.addAll(wheelLibs(nvidia));
                }
                folders.add(lib);
            }
        }
        String cudaHome = environment.get("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            folders.add(Path.of(cudaHome.strip(), "lib64"));
        }
        folders.add(Path.of("/usr/local/cuda/lib64"));
        List<Path> found = new ArrayList<>();
        for (Path folder : folders) {
            if (holdsCudart(folder)) {
                found.add(folder);
            }
        }
        return found;
    }

    /**
     * Adds folders to {@code jna.library.path}, after what it holds, without repeats. JNA reads the
     * property at every load, so this works for any library not loaded yet.
     *
     * @param folders the folders
     * @return the property's new value, or empty when nothing was added
     */
    public static Optional<String> addToJnaLibraryPath(List<Path> folders) {
        String current = System.getProperty(JNA_LIBRARY_PATH, "");
        List<String> entries = new ArrayList<>();
        for (String entry : current.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        boolean added = false;
        for (Path folder : folders) {
            if (!entries.contains(folder.toString())) {
                entries.add(folder.toString());
                added = true;
            }
        }
        if (!added) {
            return Optional.empty();
        }
        String value = String.join(File.pathSeparator, entries);
        System.setProperty(JNA_LIBRARY_PATH, value);
        return Optional.of(value);
    }

    /**
     * Loads {@code cudart} the way DJL does ({@code Native.load("cudart")}).
     *
     * @return the loaded file's path, or the loader's reason in one line prefixed with {@code
     *     "error: "}
     */
    public static String load() {
        try {
            NativeLibrary library = NativeLibrary.getInstance("cudart");
            return library.getFile() == null ? library.getName() : library.getFile().toString();
        } catch (UnsatisfiedLinkError e) {
            String message = e.getMessage() == null ? "not found" : e.getMessage();
            return "error: " + message.lines().findFirst().orElse(message).strip();
        }
    }

    /** The {@code lib} folders of the NVIDIA wheels ({@code nvidia/cu13/lib} in CUDA 13's). */
    private static List<Path> wheelLibs(Path nvidia) {
        if (!Files.isDirectory(nvidia)) {
            return List.of();
        }
        try (Stream<Path> wheels = Files.list(nvidia)) {
            return wheels.map(w -> w.resolve("lib")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean holdsCudart(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("libcudart.so"));
        } catch (IOException e) {
            return false;
        }
    }
}
