package io.trainsight.cli.doctor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import io.trainsight.gpu.internal.cuda.CudaRuntime;
import io.trainsight.trainer.engine.DeviceChoice;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What DJL's PyTorch engine will train with: the settings that choose libtorch ({@code
 * PYTORCH_LIBRARY_PATH}, {@code PYTORCH_FLAVOR}, {@code PYTORCH_VERSION}, the native jar on the
 * class path), the JNI's version, the CUDA runtime DJL counts GPUs with, and the engine itself,
 * loaded.
 *
 * @param settings the variables, by name (null when unset)
 * @param classPathLibtorch the libtorch jar on the class path ({@code version}, {@code flavor},
 *     {@code jar}), or empty
 * @param jniVersion the JNI's version ({@code 2.7.1-0.36.0}), or empty
 * @param torchAtPath what {@code PYTORCH_LIBRARY_PATH} holds: whether it has {@code libtorch.so},
 *     and a pip torch's version
 * @param cudart where JNA loads {@code cudart} from, or {@code error: …}
 * @param jnaLibraryPath the {@code jna.library.path} in force
 * @param loaded whether the engine loaded
 * @param error why it did not, in one line, or empty
 * @param version libtorch's version
 * @param libtorch the folder libtorch was loaded from
 * @param cudaBuild whether libtorch can use CUDA here ({@code torch::cuda::is_available})
 * @param gpuCount the GPUs DJL counts (through the CUDA runtime)
 * @param device the device {@code train --device auto} would use, or empty when the engine failed
 */
record EngineFacts(
        Map<String, String> settings,
        Map<String, String> classPathLibtorch,
        Optional<String> jniVersion,
        Map<String, Object> torchAtPath,
        String cudart,
        String jnaLibraryPath,
        boolean loaded,
        Optional<String> error,
        String version,
        String libtorch,
        boolean cudaBuild,
        int gpuCount,
        Optional<Device> device) {

    private static final Pattern TORCH_VERSION =
            Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    static EngineFacts gather() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name :
                new String[] {
                    "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION", "DJL_OFFLINE"
                }) {
            settings.put(name, setting(name));
        }
        Map<String, String> jar = findClassPathLibtorch();
        Optional<String> jni =
                properties("jnilib/pytorch.properties").map(p -> p.getProperty("jni_version"));
        Map<String, Object> atPath = readTorchAtPath(settings.get("PYTORCH_LIBRARY_PATH"));
        String cudart = CudaRuntime.load();
        String jnaPath = System.getProperty(CudaRuntime.JNA_LIBRARY_PATH, "");
        try {
            Engine engine = Engine.getEngine("PyTorch");
            int gpus = engine.getGpuCount();
            boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
            Device device = DeviceChoice.AUTO.resolve(engine);
            return new EngineFacts(
                    settings,
                    jar,
                    jni,
                    atPath,
                    cudart,
                    jnaPath,
                    true,
                    Optional.empty(),
                    engine.getVersion(),
                    LibUtils.getLibtorchPath(),
                    cuda,
                    gpus,
                    Optional.of(device));
        } catch (RuntimeException | LinkageError e) {
            return new EngineFacts(
                    settings,
                    jar,
                    jni,
                    atPath,
                    cudart,
                    jnaPath,
                    false,
                    Optional.of(rootCause(e)),
                    "",
                    "",
                    false,
                    0,
                    Optional.empty());
        }
    }

    /** As DJL reads its settings: the environment, else a system property. */
    private static String setting(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    private static Optional<Properties> properties(String resource) {
        URL url = EngineFacts.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(properties);
    }

    private static Map<String, String> findClassPathLibtorch() {
        Map<String, String> map = new LinkedHashMap<>();
        URL url = EngineFacts.class.getClassLoader().getResource("native/lib/pytorch.properties");
        if (url == null) {
            return map;
        }
        Properties properties = properties("native/lib/pytorch.properties").orElseThrow();
        map.put("version", properties.getProperty("version", "").replaceAll("-\\d{8}$", ""));
        map.put("flavor", properties.getProperty("flavor", ""));
        String where = url.toString();
        int bang = where.indexOf("!/");
        map.put("jar", bang > 0 ? where.substring(where.lastIndexOf('/', bang) + 1, bang) : where);
        return map;
    }

    /** What the folders of PYTORCH_LIBRARY_PATH hold. */
    private static Map<String, Object> readTorchAtPath(String path) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (path == null) {
            return map;
        }
        String folder = null;
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.isRegularFile(Path.of(entry, "libtorch.so"))) {
                folder = entry;
                break;
            }
        }
        map.put("libtorch_so", folder != null);
        map.put("folder", folder);
        String version = null;
        if (folder != null) {
            Path versionFile = Path.of(folder).toAbsolutePath().getParent().resolve("version.py");
            try {
                Matcher m = TORCH_VERSION.matcher(Files.readString(versionFile));
                if (m.find()) {
                    version = m.group(1);
                }
            } catch (IOException e) {
                // not a pip torch: the version is unknown
            }
        }
        map.put("torch_version", version);
        return map;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String line = message.strip().lines().findFirst().orElse(message);
        String outer = e.getMessage() == null ? "" : e.getMessage().strip();
        return cause == e || outer.isEmpty() ? line : outer + ": " + line;
    }

    /** Where libtorch came from, in words. */
    String source() {
        String path = settings.get("PYTORCH_LIBRARY_PATH");
        if (path != null && Boolean.TRUE.equals(torchAtPath.get("libtorch_so"))) {
            return "PYTORCH_LIBRARY_PATH (" + torchAtPath.get("folder") + ")";
        }
        if (!classPathLibtorch.isEmpty()) {
            return "the class path jar " + classPathLibtorch.get("jar");
        }
        return "a download by DJL (DJL_OFFLINE=false)";
    }

    Map<String, Object> json() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("loaded", loaded);
        map.put("error", error.orElse(null));
        map.put("version", loaded ? version : null);
        map.put("libtorch", loaded ? libtorch : null);
        map.put("source", source());
        map.put("cuda_build", cudaBuild);
        map.put("gpu_count", gpuCount);
        map.put("jni_version", jniVersion.orElse(null));
        map.put("class_path_libtorch", classPathLibtorch.isEmpty() ? null : classPathLibtorch);
        map.put("pytorch_library_path", torchAtPath.isEmpty() ? null : torchAtPath);
        map.put("settings", settings);
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("loaded", cudart.startsWith("error: ") ? null : cudart);
        runtime.put("error", cudart.startsWith("error: ") ? cudart.substring(7) : null);
        runtime.put("jna_library_path", jnaLibraryPath);
        map.put("cuda_runtime", runtime);
        return map;
    }
}
