package io.trainsight.bench.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.ThreadConfigs;
import io.trainsight.trainer.engine.MklDispatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * libtorch's float matrix products with MKL's code paths chosen by trainsight ({@code
 * -Dtrainsight.mkl-fast-paths=auto}, the default) against MKL's own choice ({@code =off}). MKL
 * settles its path once per process, so each round runs the two settings in child JVMs, one after
 * the other (their order alternating from round to round), at the same thread count; the table is
 * the median of the per-round ratios. The shapes are those of the training benchmark's cases: (a)'s
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
                        + " intra-op thread(s) in every child%n",
                MklDispatch.PROPERTY,
                rounds,
                threads);
        Map<String, Map<String, List<Double>>> rates = new LinkedHashMap<>();
        for (String setting : SETTINGS) {
            rates.put(setting, new LinkedHashMap<>());
        }
        for (int round = 0; round <= rounds; round++) {
            boolean counted = round > 0;
            String[] order = round % 2 == 0 ? SETTINGS : new String[] {SETTINGS[1], SETTINGS[0]};
            StringBuilder line =
                    new StringBuilder(counted ? "round " + round + ":" : "warm-up round:");
            for (String setting : order) {
                Map<String, Double> result = runInChild(setting, threads, round == 0);
                for (Map.Entry<String, Double> e : result.entrySet()) {
                    if (counted) {
                        rates.get(setting)
                                .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(e.getValue());
                    }
                    line.append(
                            String.format(
                                    Locale.ROOT,
                                    "  %s %s %.1f",
                                    setting,
                                    e.getKey(),
                                    e.getValue()));
                }
            }
            System.out.println(line);
        }
        System.out.printf(
                "%-16s %12s %12s %10s %14s%n",
                "product", "off GFLOP/s", "auto", "ratio", "min..max");
        for (String shape : rates.get("auto").keySet()) {
            List<Double> auto = rates.get("auto").get(shape);
            List<Double> off = rates.get("off").get(shape);
            double[] ratios = new double[auto.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = auto.get(i) / off.get(i);
            }
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double r : ratios) {
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-16s %12.1f %12.1f %10.2f %6.2f..%.2f%n",
                    shape,
                    Interleaved.median(toArray(off)),
                    Interleaved.median(toArray(auto)),
                    Interleaved.median(ratios),
                    min,
                    max);
        }
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
                double flop = 2.0 * s[0] * s[1] * s[2];
                for (int i = 0; i < 3; i++) {
                    x.matMul(w).close();
                }
                int reps = 0;
                long start = System.nanoTime();
                long elapsed;
                do {
                    x.matMul(w).close();
                    reps++;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < 400_000_000L || reps < 3);
                System.out.printf(
                        Locale.ROOT,
                        "rate %dx%dx%d %.3f%n",
                        s[0],
                        s[1],
                        s[2],
                        flop * reps / elapsed);
            }
        }
    }

    private static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
