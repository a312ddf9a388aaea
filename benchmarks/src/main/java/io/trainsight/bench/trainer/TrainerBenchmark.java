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
import io.trainsight.bench.FlopRate;
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
 * [--threads 1,auto] [--kept-gradients]}; {@code --kept-gradients} adds trainsight with everything
 * on and its gradients kept on the parameters ({@code -Dtrainsight.direct-gradients=off}).
 */
public final class TrainerBenchmark {

    private static final int WARM_UP = 5;
    private static final String DIRECT_PROPERTY = "trainsight.direct-gradients";

    private final MlpCase mlp;
    private final int threads;
    private final NDManager manager = NDManager.newBaseManager();
    private final ArrayDataset dataset;
    private final boolean keptGradients;

    private TrainerBenchmark(MlpCase mlp, int threads, boolean keptGradients) {
        this.mlp = mlp;
        this.threads = threads;
        this.dataset = mlp.dataset(manager);
        this.keptGradients = keptGradients;
    }

    public static void main(String[] args) throws Exception {
        String which = "both";
        int rounds = 9;
        String threadList = "1,auto";
        boolean kept = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case" -> which = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threadList = args[++i];
                case "--kept-gradients" -> kept = true;
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --case small|large|both, --rounds R, --threads"
                                        + " 1,auto, --kept-gradients");
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
                String py = python == null ? "-" : python.threads(threads);
                String pyTuned = pythonTuned == null ? "-" : pythonTuned.threads(threads);
                System.out.printf(
                        Locale.ROOT,
                        "%n##### %d intra-op thread(s) for every contender: JVM libtorch %d, Python"
                                + " torch.get_num_threads() %s and %s%n",
                        threads,
                        jvm,
                        py,
                        pyTuned);
                if (!which.equals("large")) {
                    new TrainerBenchmark(
                                    new MlpCase("mlp-784-256-10-b64", 256, 64, 1000), threads, kept)
                            .run(rounds, python, pythonTuned, false);
                }
                if (!which.equals("small")) {
                    new TrainerBenchmark(
                                    new MlpCase("mlp-784-2048-10-b256", 2048, 256, 40),
                                    threads,
                                    kept)
                            .run(rounds, python, pythonTuned, true);
                }
            }
        }
    }

    private void run(int rounds, PythonTorch python, PythonTorch pythonTuned, boolean withMatmul)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n== %s, %d steps per block after %d warm-up steps, %d rounds after a warm-up"
                        + " round, %d thread(s)%n",
                mlp.name(),
                mlp.steps(),
                WARM_UP,
                rounds,
                threads);
        Interleaved bench = new Interleaved(rounds).warmUpRounds(1);
        bench.add("DJL EasyTrain", this::easyTrain);
        bench.add("trainsight, all on", () -> trainsight(true));
        bench.add("trainsight, lean", () -> trainsight(false));
        if (keptGradients) {
            bench.add("trainsight, all on, gradients kept", this::trainsightKeptGradients);
        }
        if (python != null) {
            bench.add("Python PyTorch", () -> python.mlp(mlp.hidden(), mlp.batch(), mlp.steps()));
        }
        if (pythonTuned != null) {
            bench.add(
                    "Python PyTorch, glibc tuned",
                    () -> pythonTuned.mlp(mlp.hidden(), mlp.batch(), mlp.steps()));
        }
        if (withMatmul) {
            // The references, as the steps per second a step made of nothing but matrix products
            // would run at, so that their ratios read as shares of them.
            bench.add("its matrix products alone", () -> stepProductsFlops() / mlp.flopsPerStep());
            bench.add("2048x2048 matmul", () -> matmulFlops() / mlp.flopsPerStep());
        }
        Interleaved.Report report = bench.run(System.out);
        report.printRatios(System.out, "trainsight, all on");
        if (withMatmul) {
            System.out.printf(
                    Locale.ROOT,
                    "GFLOP/s (medians; %.2f GFLOP of matrix products per step):%n",
                    mlp.flopsPerStep() / 1e9);
            for (var entry : report.medians().entrySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-30s %.1f%n",
                        entry.getKey(),
                        entry.getValue() * mlp.flopsPerStep() / 1e9);
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

    /** trainsight with everything on, its gradients kept on the parameters and zeroed each step. */
    private double trainsightKeptGradients() throws Exception {
        System.setProperty(DIRECT_PROPERTY, "off");
        try {
            return trainsight(true);
        } finally {
            System.clearProperty(DIRECT_PROPERTY);
        }
    }

    /** FLOP/s of repeated 2048×2048 products, for at least 0.3 s after one warm-up. */
    private double matmulFlops() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(2048, 2048));
            NDArray b = scope.randomNormal(new Shape(2048, 2048));
            return timed(
                    2.0 * 2048 * 2048 * 2048,
                    () -> {
                        try (NDArray c = a.matMul(b)) {
                            c.getFloat(0, 0);
                        }
                    });
        }
    }

    /**
     * FLOP/s of the step's own matrix products, with its shapes and no autograd: the forward pass
     * of both layers, the gradient of the second layer's input and both weights' gradients.
     */
    private double stepProductsFlops() {
        int batch = mlp.batch();
        int hidden = mlp.hidden();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(batch, MlpCase.FEATURES));
            NDArray w1 = scope.randomNormal(new Shape(hidden, MlpCase.FEATURES));
            NDArray h = scope.randomNormal(new Shape(batch, hidden));
            NDArray w2 = scope.randomNormal(new Shape(MlpCase.CLASSES, hidden));
            NDArray dy = scope.randomNormal(new Shape(batch, MlpCase.CLASSES));
            return timed(
                    mlp.flopsPerStep(),
                    () -> {
                        try (NDManager step = scope.newSubManager()) {
                            NDArray[] inputs = {x, w1, h, w2, dy};
                            for (NDArray input : inputs) {
                                input.tempAttach(step);
                            }
                            NDArray dh = dy.matMul(w2);
                            x.matMul(w1.transpose());
                            h.matMul(w2.transpose());
                            dy.transpose().matMul(h);
                            dh.transpose().matMul(x).getFloat(0, 0);
                        }
                    });
        }
    }

    /** Runs a computation after one warm-up until 0.3 s have passed; returns FLOP/s. */
    private static double timed(double flops, Runnable work) {
        return FlopRate.of(flops, 1, 300_000_000L, 1, work);
    }
}
