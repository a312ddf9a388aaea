package io.trainsight.cli.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainsight.cli.TrainsightCli;
import io.trainsight.trainer.engine.MklDispatch;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainsight doctor}: on a new machine, whether and where training can run, and if the GPU
 * is not used, exactly why and what to change.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check this machine for training: NVML (driver, CUDA version, GPUs), the CUDA driver"
                + " (the devices CUDA shows and which GPU each is), the PyTorch engine (which"
                + " libtorch, its flavour and version, whether it can use CUDA, the CUDA runtime"
                + " DJL counts GPUs with) and the device train would use.",
            "Ends with one verdict line; exit 0 when training can run (on the GPU or the CPU), 1"
                    + " when the engine does not load."
        })
public final class DoctorCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        GpuFacts gpus = GpuFacts.gather();
        EngineFacts engine = EngineFacts.gather();
        Verdict verdict = Verdict.of(gpus, engine);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("verdict", verdict.line());
            root.put("can_train", verdict.canTrain());
            root.put("device", verdict.device());
            root.put("problems", verdict.problems());
            root.put("nvml", gpus.nvmlJson());
            root.put("cuda_driver", gpus.cudaJson());
            root.put("engine", engine.json());
            root.put("mkl", mkl(engine));
            out.println(
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(root));
        } else {
            gpus.lines().forEach(out::println);
            engineLines(engine, out);
            for (Map<String, String> problem : verdict.problems()) {
                out.println("problem    " + problem.get("cause"));
                out.println("  fix      " + problem.get("fix"));
            }
            out.println("verdict    " + verdict.line());
        }
        out.flush();
        return verdict.canTrain() ? 0 : TrainsightCli.EXIT_FAILED;
    }

    private static void engineLines(EngineFacts engine, PrintWriter out) {
        if (engine.loaded()) {
            out.println(
                    "engine     PyTorch "
                            + engine.version()
                            + " from "
                            + engine.source()
                            + " ("
                            + engine.libtorch()
                            + "); CUDA "
                            + (engine.cudaBuild() ? "usable" : "not usable")
                            + "; DJL counts "
                            + engine.gpuCount()
                            + " GPU(s)");
        } else {
            out.println("engine     does not load: " + engine.error().orElse("?"));
        }
        out.println(
                "  JNI      "
                        + engine.jniVersion().orElse("not on the class path")
                        + "; PYTORCH_LIBRARY_PATH="
                        + unset(engine.settings().get("PYTORCH_LIBRARY_PATH"))
                        + " PYTORCH_FLAVOR="
                        + unset(engine.settings().get("PYTORCH_FLAVOR"))
                        + " PYTORCH_VERSION="
                        + unset(engine.settings().get("PYTORCH_VERSION")));
        out.println(
                "  cudart   "
                        + (engine.cudart().startsWith("error: ")
                                ? "not loadable by JNA: " + engine.cudart().substring(7)
                                : engine.cudart())
                        + "; jna.library.path="
                        + engine.jnaLibraryPath());
        if (engine.loaded()) {
            out.println("  MKL      " + mkl(engine));
        }
        engine.device().ifPresent(d -> out.println("device     train --device auto uses " + d));
    }

    /** Which code path MKL runs (decided when the engine started). */
    private static String mkl(EngineFacts engine) {
        return engine.loaded()
                ? MklDispatch.beforeEngineStart().unlabelled()
                : "unknown: the engine did not load";
    }

    private static String unset(String value) {
        return value == null ? "(unset)" : value;
    }
}
