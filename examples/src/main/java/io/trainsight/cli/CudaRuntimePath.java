package io.trainsight.cli;

import io.trainsight.gpu.internal.cuda.CudaRuntime;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the CUDA runtime findable for DJL before the engine starts: DJL counts GPUs by loading
 * {@code cudart} through JNA, which does not look in {@code LD_LIBRARY_PATH} for versioned names,
 * so a pip install of torch (only {@code nvidia/cuda_runtime/lib/libcudart.so.12}) leaves DJL
 * seeing no GPU. The folder beside {@code PYTORCH_LIBRARY_PATH}'s torch is added to {@code
 * jna.library.path}, after what the user set.
 */
final class CudaRuntimePath {

    private static final Logger logger = LoggerFactory.getLogger(CudaRuntimePath.class);

    private CudaRuntimePath() {}

    static void apply() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties()
                .forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        List<Path> folders = CudaRuntime.libraryPath(System.getenv(), properties);
        CudaRuntime.addToJnaLibraryPath(folders)
                .ifPresent(path -> logger.debug("jna.library.path={} (for libcudart)", path));
    }
}
