package io.trainsight.cli.doctor;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the facts mean for {@code trainsight train}: the device it would use, every problem with its
 * cause and fix, and one line. Training can run when the engine loads; a GPU the engine cannot use
 * is a problem, not a failure (the run trains on the CPU).
 *
 * @param canTrain whether the engine loads, so that a run can start
 * @param device the device {@code train --device auto} would use, or {@code none}
 * @param line the verdict, naming the first cause when there is one
 * @param problems each problem's {@code cause} and {@code fix}
 */
record Verdict(boolean canTrain, String device, String line, List<Map<String, String>> problems) {

    static Verdict of(GpuFacts gpus, EngineFacts engine) {
        List<Map<String, String>> problems = new ArrayList<>();
        String jniTorch = engine.jniVersion().map(v -> v.replaceAll("-.*", "")).orElse("2.7.1");
        Object torchVersion = engine.torchAtPath().get("torch_version");
        if (torchVersion != null && !String.valueOf(torchVersion).startsWith(jniTorch)) {
            problems.add(
                    problem(
                            "PYTORCH_LIBRARY_PATH holds torch "
                                    + torchVersion
                                    + ", but DJL's JNI "
                                    + engine.jniVersion().orElse("")
                                    + " is built for libtorch "
                                    + jniTorch,
                            "install torch "
                                    + jniTorch
                                    + " (pip install torch=="
                                    + jniTorch
                                    + " --index-url https://download.pytorch.org/whl/cu128) and"
                                    + " point PYTORCH_LIBRARY_PATH at its torch/lib"));
        }
        if (!engine.loaded()) {
            problems.add(engineFailure(engine, jniTorch));
            return new Verdict(
                    false,
                    "none",
                    "cannot train: the PyTorch engine does not load: "
                            + problems.get(problems.size() - 1).get("cause"),
                    problems);
        }
        Device device = engine.device().orElseThrow();
        boolean gpusHere = gpus.nvmlSeesGpus() || !gpus.cuda().devices().isEmpty();
        if (device.isGpu()) {
            Integer nvml = gpus.mapping().byOrdinal().get(device.getDeviceId());
            String which =
                    nvml == null
                            ? ""
                            : " = NVML gpu" + nvml + " (" + gpus.gpus().get(nvml).name() + ")";
            return new Verdict(
                    true, device.toString(), "ready: train would use " + device + which, problems);
        }
        if (!gpusHere) {
            String why = gpus.nvmlError().orElse("NVML reports no GPU");
            return new Verdict(
                    true,
                    "cpu",
                    "ready: train would use the CPU (no NVIDIA GPU: " + why + ")",
                    problems);
        }
        problems.add(gpuUnused(gpus, engine));
        return new Verdict(
                true,
                "cpu",
                "ready on the CPU only: the GPU is not used because "
                        + problems.get(problems.size() - 1).get("cause"),
                problems);
    }

    private static Map<String, String> engineFailure(EngineFacts engine, String jniTorch) {
        String error = engine.error().orElse("unknown error");
        String lower = error.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("undefined symbol")) {
            return problem(
                    "DJL's JNI is built for libtorch "
                            + jniTorch
                            + " and does not link against the libtorch in "
                            + engine.source()
                            + " ("
                            + error
                            + ")",
                    "point PYTORCH_LIBRARY_PATH at the torch/lib of torch " + jniTorch);
        }
        if (lower.contains("precxx11")
                || (engine.settings().get("PYTORCH_LIBRARY_PATH") != null
                        && engine.settings().get("PYTORCH_FLAVOR") == null)) {
            return problem(
                    "PYTORCH_FLAVOR is not set, so DJL looks for a -precxx11 JNI it does not have ("
                            + error
                            + ")",
                    "set PYTORCH_FLAVOR=cu128 for a CUDA torch (cpu for a CPU one)");
        }
        if (lower.contains("offline") || lower.contains("download")) {
            return problem(
                    "no libtorch: none on the class path or in PYTORCH_LIBRARY_PATH, and DJL may"
                            + " not download one ("
                            + error
                            + ")",
                    "point PYTORCH_LIBRARY_PATH at a torch "
                            + jniTorch
                            + " torch/lib with PYTORCH_FLAVOR, or put pytorch-native-cpu on the"
                            + " class path");
        }
        return problem(error, "run with TRAINSIGHT_LOG_LEVEL=debug to see the engine's log");
    }

    private static Map<String, String> gpuUnused(GpuFacts gpus, EngineFacts engine) {
        if (gpus.cuda().failure().isPresent() && gpus.cuda().devices().isEmpty()) {
            String visible = System.getenv("CUDA_VISIBLE_DEVICES");
            return problem(
                    "CUDA shows this process no GPU: " + gpus.cuda().failure().get(),
                    visible == null
                            ? "check the NVIDIA driver and that the container runs with --gpus"
                            : "check CUDA_VISIBLE_DEVICES (now '" + visible + "')");
        }
        if (!engine.cudaBuild()) {
            String path = engine.settings().get("PYTORCH_LIBRARY_PATH");
            boolean libtorchAtPath = Boolean.TRUE.equals(engine.torchAtPath().get("libtorch_so"));
            if (!libtorchAtPath) {
                return problem(
                        "the libtorch loaded is the CPU build from "
                                + engine.source()
                                + (path == null
                                        ? ""
                                        : " (PYTORCH_LIBRARY_PATH="
                                                + path
                                                + " holds no libtorch.so, so DJL ignored it)"),
                        "set PYTORCH_LIBRARY_PATH to a CUDA torch's torch/lib and"
                                + " PYTORCH_FLAVOR=cu128; DJL_OFFLINE=false does not fetch a CUDA"
                                + " libtorch while that jar is on the class path");
            }
            return problem(
                    "the libtorch in "
                            + engine.source()
                            + " cannot use CUDA here (a CPU build, or a CUDA build newer than the"
                            + " driver's CUDA "
                            + gpus.driver().map(d -> d.cudaVersion()).orElse("?")
                            + ")",
                    "install the cu128 build of torch 2.7.1 and a driver for CUDA 12.8 or newer");
        }
        if (engine.gpuCount() == 0) {
            return problem(
                    "libtorch has CUDA, but DJL counts 0 GPUs: it finds the CUDA runtime through"
                            + " JNA, which cannot load cudart ("
                            + engine.cudart().replaceFirst("^error: ", "")
                            + ")",
                    "add the folder of libcudart.so.12 to jna.library.path:"
                            + " TRAINSIGHT_JAVA_OPTS=-Djna.library.path=DIR (./trainsight and the"
                            + " image add a pip torch's nvidia/cuda_runtime/lib themselves)");
        }
        return problem(
                "the engine sees " + engine.gpuCount() + " GPU(s) but chose the CPU",
                "run train --device gpu to see the engine's reason");
    }

    private static Map<String, String> problem(String cause, String fix) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("cause", cause);
        map.put("fix", fix);
        return map;
    }
}
