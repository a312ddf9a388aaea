package io.trainsight.bench.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.StepWindow;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Locale;

/**
 * Steps per second of trainsight's loop against DJL's EasyTrain ({@code trainBatch} + {@code step})
 * and Python PyTorch, on an overhead-bound MLP (784-256-10, batch 64) and a compute-bound one
 * (784-2048-10, batch 256), the contenders alternating in blocks inside one run.
 *
 * <p>Run: {@code benchmarks/run trainer.TrainerBenchmark [--case small|large|both] [--rounds R]}.
 */
public final class TrainerBenchmark {

    private static final int WARM_UP = 5;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final MlpCase mlp;
    private final NDManager manager = NDManager.newBaseManager();
    private final ArrayDataset dataset;
    private final PhaseTally phases = new PhaseTally();
    private double easyTrainBytesPerStep;
    private double leanBytesPerStep;
    private double fullBytesPerStep;

    private TrainerBenchmark(MlpCase mlp) {
        this.mlp = mlp;
        this.dataset = mlp.dataset(manager);
    }

    public static void main(String[] args) throws Exception {
        String which = "both";
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--case" -> which = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --case small|large|both, --rounds R");
            }
        }
        Path script = Paths.get("benchmarks", "python", "torch_mlp.py");
        try (PythonTorch python = PythonTorch.start(script, "/usr/bin/python3")) {
            System.out.println(
                    "Python PyTorch: "
                            + (python == null ? "not available" : python.version())
                            + ", OPENBLAS_NUM_THREADS=1; cores: "
                            + Runtime.getRuntime().availableProcessors());
            if (!which.equals("large")) {
                new TrainerBenchmark(new MlpCase("mlp-784-256-10-b64", 256, 64, 1000))
                        .run(rounds, python, false);
            }
            if (!which.equals("small")) {
                new TrainerBenchmark(new MlpCase("mlp-784-2048-10-b256", 2048, 256, 40))
                        .run(rounds, python, true);
            }
        }
    }

    private void run(int rounds, PythonTorch python, boolean withMatmul) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n== %s, %d steps per block, %d rounds%n",
                mlp.name(),
                mlp.steps(),
                rounds);
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
            bench.add("Python PyTorch", () -> python.run(mlp.hidden(), mlp.batch(), mlp.steps()));
        }
        Interleaved.Report report = bench.run(System.out);
        System.out.printf(
                Locale.ROOT,
                "allocated per step on the training thread: EasyTrain %.0f B, trainsight all on"
                        + " %.0f B, lean %.0f B (last round)%n",
                easyTrainBytesPerStep,
                fullBytesPerStep,
                leanBytesPerStep);
        phases.print(mlp.steps() - WARM_UP);
        if (withMatmul) {
            double flops = Interleaved.median(matmul);
            System.out.printf(
                    Locale.ROOT, "matmul 2048x2048: %.1f GFLOP/s (median)%n", flops / 1e9);
            for (var entry : report.medians().entrySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-24s %.1f GFLOP/s = %.0f %% of matmul%n",
                        entry.getKey(),
                        entry.getValue() * mlp.flopsPerStep() / 1e9,
                        100 * entry.getValue() * mlp.flopsPerStep() / flops);
            }
        }
    }

    /** DJL's own loop: EasyTrain.trainBatch then Trainer.step, per batch. */
    private double easyTrain() throws Exception {
        try (Model model = mlp.newModel();
                Trainer trainer = mlp.newTrainer(model)) {
            Iterator<Batch> batches = batches(trainer);
            long start = 0;
            long bytes = 0;
            for (int i = 0; i < mlp.steps(); i++) {
                if (i == WARM_UP) {
                    start = System.nanoTime();
                    bytes = THREADS.getCurrentThreadAllocatedBytes();
                }
                if (!batches.hasNext()) {
                    batches = batches(trainer);
                }
                Batch batch = batches.next();
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
                batch.close();
            }
            long elapsed = System.nanoTime() - start;
            easyTrainBytesPerStep =
                    (THREADS.getCurrentThreadAllocatedBytes() - bytes)
                            / (double) (mlp.steps() - WARM_UP);
            return (mlp.steps() - WARM_UP) * 1e9 / elapsed;
        }
    }

    private Iterator<Batch> batches(Trainer trainer) throws Exception {
        return trainer.iterateDataset(dataset).iterator();
    }

    /**
     * trainsight's loop; "all on" adds the Micrometer meters, the JSONL step log and a listener.
     */
    private double trainsight(boolean allOn) throws Exception {
        Path log = Files.createTempFile("bench-steps", ".jsonl");
        try (Model model = mlp.newModel();
                StepLogWriter stepLog = new StepLogWriter(log)) {
            StepWindow window = new StepWindow(WARM_UP);
            TrainingLoopBuilder builder = mlp.loop(model, dataset).addListener(window);
            if (allOn) {
                builder.optMeterRegistry(new SimpleMeterRegistry())
                        .addListener(stepLog)
                        .addListener(phases);
                phases.reset();
            }
            try (TrainingLoop loop = builder.build()) {
                loop.run();
            }
            if (allOn) {
                fullBytesPerStep = window.bytesPerStep();
            } else {
                leanBytesPerStep = window.bytesPerStep();
            }
            return window.stepsPerSecond();
        } finally {
            Files.deleteIfExists(log);
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

    /** Sums the phases of the steps after the warm-up, to show where a step's time goes. */
    private static final class PhaseTally implements StepListener {
        private long wait;
        private long forward;
        private long backward;
        private long optimizer;
        private long total;

        void reset() {
            wait = forward = backward = optimizer = total = 0;
        }

        @Override
        public void onStep(StepRecord r) {
            if (r.step() > WARM_UP) {
                wait += r.dataWaitNanos();
                forward += r.forwardNanos();
                backward += r.backwardNanos();
                optimizer += r.optimizerNanos();
                total += r.durationNanos();
            }
        }

        void print(long steps) {
            double us = 1e3 * steps;
            System.out.printf(
                    Locale.ROOT,
                    "where a trainsight step goes (last round, mean): data wait %.1f us,"
                        + " forward+loss %.1f us, backward %.1f us, optimizer %.1f us, rest (loss"
                        + " read, bookkeeping, listeners) %.1f us; total %.1f us%n",
                    wait / us,
                    forward / us,
                    backward / us,
                    optimizer / us,
                    (total - wait - forward - backward - optimizer) / us,
                    total / us);
        }
    }
}
