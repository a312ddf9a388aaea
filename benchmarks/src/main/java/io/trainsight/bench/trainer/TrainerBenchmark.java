package io.trainsight.bench.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.trainsight.bench.AllOn;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.StepWindow;
import io.trainsight.bench.ThreadConfigs;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.internal.memory.NativeMemory;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Steps per second of trainsight's loop against DJL's EasyTrain ({@code trainBatch} + {@code step})
 * and Python PyTorch 1.13 eager, on an overhead-bound MLP (784-256-10, batch 64) and a
 * compute-bound one (784-2048-10, batch 256), the contenders alternating in blocks inside one run,
 * every contender at the same libtorch thread count, once per thread setting asked for.
 *
 * <p>trainsight runs with everything on (monitor, step log, insight, meters) and with nothing
 * attached. Every block trains a fresh model (EasyTrain: a fresh model and trainer). The JVM runs
 * with glibc's allocator tuned as trainsight tunes it ({@link NativeMemory}), so DJL EasyTrain
 * profits from it too; Python runs twice, with glibc's defaults (as users run it) and with the same
 * thresholds.
 *
 * <p>Run: {@code benchmarks/run trainer.TrainerBenchmark [--case small|large|both] [--rounds R]
 * [--threads 1,auto]}.
 */
public final class TrainerBenchmark {

    private static final int WARM_UP = 5;

    private final MlpCase mlp;
    private final int threads;
    private final NDManager manager = NDManager.newBaseManager();
    private final ArrayDataset dataset;

    private TrainerBenchmark(MlpCase mlp, int threads) {
        this.mlp = mlp;
        this.threads = threads;
        this.dataset = mlp.dataset(manager);
    }

    public static void main(String[] args) throws Exception {
        String which = "both";
        int rounds = 9;
        String threadList = "1,auto";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case" -> which = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threadList = args[++i];
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --case small|large|both, --rounds R, --threads"
                                        + " 1,auto");
            }
        }
        List<Integer> settings = ThreadConfigs.parse(threadList);
        String malloc = NativeMemory.keepFreedMemory().orElse("glibc's allocator left as it is");
        Map<String, String> tuned = NativeMemory.environment();
        try (PythonTorch python = PythonTorch.start(Map.of());
                PythonTorch pythonTuned = PythonTorch.start(tuned)) {
            System.out.printf(
                    Locale.ROOT,
                    "JVM: %s%nPython PyTorch: %s, OPENBLAS_NUM_THREADS=1; the tuned one with %s%n"
                            + "cores available: %d; thread settings: %s%n",
                    malloc,
                    python == null ? "not available" : python.version(),
                    tuned,
                    Runtime.getRuntime().availableProcessors(),
                    settings);
            for (int threads : settings) {
                int jvm = ThreadConfigs.applyToJvm(threads);
                String py = python == null ? "-" : Integer.toString(python.threads(threads));
                String pyTuned =
                        pythonTuned == null ? "-" : Integer.toString(pythonTuned.threads(threads));
                System.out.printf(
                        Locale.ROOT,
                        "%n##### %d intra-op thread(s) for every contender: JVM libtorch %d, Python"
                                + " torch.get_num_threads() %s and %s%n",
                        threads,
                        jvm,
                        py,
                        pyTuned);
                if (!which.equals("large")) {
                    new TrainerBenchmark(new MlpCase("mlp-784-256-10-b64", 256, 64, 1000), threads)
                            .run(rounds, python, pythonTuned, false);
                }
                if (!which.equals("small")) {
                    new TrainerBenchmark(
                                    new MlpCase("mlp-784-2048-10-b256", 2048, 256, 40), threads)
                            .run(rounds, python, pythonTuned, true);
                }
            }
        }
    }

    private void run(int rounds, PythonTorch python, PythonTorch pythonTuned, boolean withMatmul)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n== %s, %d steps per block after %d warm-up steps, %d rounds, %d thread(s)%n",
                mlp.name(),
                mlp.steps(),
                WARM_UP,
                rounds,
                threads);
        double[] matmul = new double[rounds];
        int[] round = {0};
        Interleaved bench = new Interleaved(rounds);
        bench.add(
                "DJL EasyTrain",
                () -> {
                    if (withMatmul) {
                        matmul[round[0]++] = matmulFlops();
                    }
                    return easyTrain();
                });
        bench.add("trainsight, all on", () -> trainsight(true));
        bench.add("trainsight, lean", () -> trainsight(false));
        if (python != null) {
            bench.add("Python PyTorch", () -> python.mlp(mlp.hidden(), mlp.batch(), mlp.steps()));
        }
        if (pythonTuned != null) {
            bench.add(
                    "Python PyTorch, glibc tuned",
                    () -> pythonTuned.mlp(mlp.hidden(), mlp.batch(), mlp.steps()));
        }
        Interleaved.Report report = bench.run(System.out);
        report.printRatios(System.out, "trainsight, all on");
        if (withMatmul) {
            double flops = Interleaved.median(matmul);
            System.out.printf(
                    Locale.ROOT, "matmul 2048x2048: %.1f GFLOP/s (median)%n", flops / 1e9);
            for (var entry : report.medians().entrySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-28s %.1f GFLOP/s = %.0f %% of matmul%n",
                        entry.getKey(),
                        entry.getValue() * mlp.flopsPerStep() / 1e9,
                        100 * entry.getValue() * mlp.flopsPerStep() / flops);
            }
        }
    }

    /** DJL's own loop: EasyTrain.trainBatch then Trainer.step, per batch, on a fresh trainer. */
    private double easyTrain() throws Exception {
        try (Model model = mlp.newModel();
                Trainer trainer = mlp.newTrainer(model)) {
            Iterator<Batch> batches = trainer.iterateDataset(dataset).iterator();
            long start = 0;
            for (int i = 0; i < WARM_UP + mlp.steps(); i++) {
                if (i == WARM_UP) {
                    start = System.nanoTime();
                }
                if (!batches.hasNext()) {
                    batches = trainer.iterateDataset(dataset).iterator();
                }
                Batch batch = batches.next();
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
                batch.close();
            }
            return mlp.steps() * 1e9 / (System.nanoTime() - start);
        }
    }

    /** trainsight's loop, with everything on or nothing attached. */
    private double trainsight(boolean allOn) throws Exception {
        try (Model model = mlp.newModel()) {
            StepWindow window = new StepWindow(WARM_UP);
            TrainingLoopBuilder builder =
                    mlp.loop(model, dataset, WARM_UP + mlp.steps())
                            .optThreads(threads)
                            .addListener(window);
            try (AllOn watching = allOn ? AllOn.attach(builder) : null;
                    TrainingLoop loop = builder.build()) {
                loop.run();
            }
            return window.stepsPerSecond();
        }
    }

    private double matmulFlops() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(2048, 2048));
            NDArray b = scope.randomNormal(new Shape(2048, 2048));
            a.matMul(b).close();
            int repeats = 5;
            long start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                c.close();
            }
            return repeats * 2.0 * 2048 * 2048 * 2048 / ((System.nanoTime() - start) / 1e9);
        }
    }
}
