package io.trainsight.bench.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.trainsight.bench.FlopRate;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.ThreadConfigs;
import io.trainsight.trainer.engine.MklDispatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * libtorch's float matrix products with MKL's code paths chosen by trainsight ({@code
 * -Dtrainsight.mkl-fast-paths=auto}, the default) against MKL's own choice ({@code =off}). MKL
 * settles its path once per process, so each round runs the two settings in child JVMs and Debian's
 * Python PyTorch (its products on OpenBLAS) in its own process, one after the other, their order
 * rotating from round to round, all at the same thread count; the table gives the medians and the
 * median of the per-round ratios. The shapes are those of the training benchmark's cases: (a)'s
 * first layer, (b)'s first layer forward and its weight gradient, (b)'s second layer, and a 2048²
 * product.
 *
 * <p>Usage: {@code benchmarks/run trainer.MklDispatchBenchmark [--rounds N] [--threads N]}.
 */
public final class MklDispatchBenchmark {

    private static final int[][] SHAPES = {
        {64, 784, 256}, {256, 784, 2048}, {2048, 256, 784}, {256, 2048, 10}, {2048, 2048, 2048}
    };
    private static final String CHILD = "--child";
    private static final String[] SETTINGS = {"off", "auto"};
    private static final String PYTHON = "python";

    private MklDispatchBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --rounds N}, {@code --threads N}
     * @throws Exception if a child fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int threads = 1;
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case CHILD -> child = true;
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument '" + args[i] + "': --rounds N, --threads N");
            }
        }
        if (child) {
            runChild(threads);
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "MKL's code paths: -D%s=auto against =off, %d round(s) of one child JVM each, %d"
                        + " intra-op thread(s) in every child and in Python%n",
                MklDispatch.PROPERTY,
                rounds,
                threads);
        Map<String, Map<String, List<Double>>> rates = new LinkedHashMap<>();
        for (String setting : SETTINGS) {
            rates.put(setting, new LinkedHashMap<>());
        }
        try (PythonTorch python = PythonTorch.start(Map.of())) {
            if (python != null) {
                rates.put(PYTHON, new LinkedHashMap<>());
                System.out.println(
                        "Python PyTorch "
                                + python.version()
                                + ", threads (torch, OpenBLAS): "
                                + python.threads(threads));
            }
            for (int round = 0; round <= rounds; round++) {
                List<String> order = new ArrayList<>(rates.keySet());
                Collections.rotate(order, round);
                StringBuilder line =
                        new StringBuilder(round > 0 ? "round " + round + ":" : "warm-up round:");
                for (String contender : order) {
                    Map<String, Double> result =
                            contender.equals(PYTHON)
                                    ? runInPython(python)
                                    : runInChild(contender, threads, round == 0);
                    for (Map.Entry<String, Double> e : result.entrySet()) {
                        if (round > 0) {
                            rates.get(contender)
                                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                    .add(e.getValue());
                        }
                        line.append(
                                String.format(
                                        Locale.ROOT,
                                        "  %s %s %.1f",
                                        contender,
                                        e.getKey(),
                                        e.getValue()));
                    }
                }
                System.out.println(line);
            }
        }
        System.out.printf(
                "%-16s %8s %8s %8s %20s %20s%n",
                "product", "off", "auto", PYTHON, "auto/off", "auto/python");
        for (String shape : rates.get("auto").keySet()) {
            List<Double> auto = rates.get("auto").get(shape);
            Map<String, List<Double>> python = rates.get(PYTHON);
            System.out.printf(
                    Locale.ROOT,
                    "%-16s %8.1f %8.1f %8s %20s %20s%n",
                    shape,
                    median(rates.get("off").get(shape)),
                    median(auto),
                    python == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f", median(python.get(shape))),
                    ratio(auto, rates.get("off").get(shape)),
                    python == null ? "-" : ratio(auto, python.get(shape)));
        }
        System.out.println("(GFLOP/s, medians; ratios: median of the per-round ratios, min..max)");
    }

    private static Map<String, Double> runInPython(PythonTorch python) throws IOException {
        Map<String, Double> result = new LinkedHashMap<>();
        for (int[] s : SHAPES) {
            result.put(s[0] + "x" + s[1] + "x" + s[2], python.matmul(s[0], s[1], s[2]));
        }
        return result;
    }

    private static double median(List<Double> values) {
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return Interleaved.median(array);
    }

    /** The median of the per-round ratios, with their range. */
    private static String ratio(List<Double> numerator, List<Double> denominator) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerator.size(); i++) {
            ratios.add(numerator.get(i) / denominator.get(i));
        }
        return String.format(
                Locale.ROOT,
                "%.2f (%.2f..%.2f)",
                median(ratios),
                Collections.min(ratios),
                Collections.max(ratios));
    }

    private static Map<String, Double> runInChild(String setting, int threads, boolean describe)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command =
                List.of(
                        java,
                        "-D" + MklDispatch.PROPERTY + "=" + setting,
                        "-Dai.djl.offline=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MklDispatchBenchmark.class.getName(),
                        CHILD,
                        "--threads",
                        Integer.toString(threads));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> result = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("rate ")) {
                    String[] parts = line.split(" ");
                    result.put(parts[1], Double.parseDouble(parts[2]));
                } else if (line.startsWith("MKL:") && describe) {
                    System.out.println(setting + ": " + line);
                } else {
                    other.add(line);
                }
            }
        }
        int code = process.waitFor();
        if (code != 0 || result.size() != SHAPES.length) {
            throw new IllegalStateException(
                    "the child JVM for " + setting + " failed (exit " + code + "): " + other);
        }
        return result;
    }

    private static void runChild(int threads) {
        ThreadConfigs.applyToJvm(threads); // prints MKL's code path
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] s : SHAPES) {
                NDArray x = manager.randomNormal(new Shape(s[0], s[1]));
                NDArray w = manager.randomNormal(new Shape(s[1], s[2]));
                double flops =
                        FlopRate.of(
                                2.0 * s[0] * s[1] * s[2],
                                3,
                                400_000_000L,
                                3,
                                () -> x.matMul(w).close());
                System.out.printf(
                        Locale.ROOT, "rate %dx%dx%d %.3f%n", s[0], s[1], s[2], flops / 1e9);
            }
        }
    }
}
