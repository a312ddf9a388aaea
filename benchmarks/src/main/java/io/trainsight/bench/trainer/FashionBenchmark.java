package io.trainsight.bench.trainer;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.bench.AllOn;
import io.trainsight.bench.Interleaved;
import io.trainsight.bench.StepWindow;
import io.trainsight.bench.ThreadConfigs;
import io.trainsight.data.DataLoader;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.idx.IdxDataset;
import io.trainsight.trainer.MemoryFormat;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.internal.memory.NativeMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Steps per second of trainsight's cnn example (conv8-conv16-32-10, Adam, batch 64) on the real
 * Fashion-MNIST training set, read from the IDX files of Debian's {@code dataset-fashion-mnist}
 * package by trainsight's loader, against Python PyTorch 1.13 eager with the same layers, optimizer
 * and data (read once into memory, batches sliced from a shuffled copy), every contender at the
 * same threads, alternating in blocks. trainsight runs as {@code trainsight train} runs it: its
 * default layout (channels-last for this model on the CPU) and one loader worker building the
 * batches ahead; and with the layout as loaded, and with the batches built on the training thread.
 * PyTorch runs as written, and with each batch made channels-last (the model too, as its
 * performance guide advises).
 *
 * <p>Run: {@code benchmarks/run trainer.FashionBenchmark [--rounds R] [--steps N] [--threads
 * 1,auto] [--data DIR]}.
 */
public final class FashionBenchmark {

    private static final int WARM_UP = 5;
    private static final int BATCH = 64;

    private final IdxDataset dataset;
    private final int steps;
    private final int threads;

    private FashionBenchmark(IdxDataset dataset, int steps, int threads) {
        this.dataset = dataset;
        this.steps = steps;
        this.threads = threads;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        int steps = 300;
        String threadList = "1,auto";
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--threads" -> threadList = args[++i];
                case "--data" -> data = Path.of(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --rounds R, --steps N, --threads 1,auto, --data"
                                        + " DIR");
            }
        }
        if (!Files.isDirectory(data)) {
            System.out.println(
                    data + " is missing: apt-get install dataset-fashion-mnist, or --data DIR");
            return;
        }
        List<Integer> settings = ThreadConfigs.parse(threadList);
        String malloc = NativeMemory.keepFreedMemory().orElse("glibc's allocator left as it is");
        IdxDataset fashion =
                IdxDataset.open(data, FormatOptions.builder().optSampling(BATCH, true).build());
        try (PythonTorch python = PythonTorch.start(Map.of());
                PythonTorch pythonTuned = PythonTorch.start(NativeMemory.environment())) {
            System.out.printf(
                    Locale.ROOT,
                    "== cnn conv8-conv16-32-10 on %s (%d training images), batch %d, Adam 1e-3, %d"
                            + " steps per block after %d warm-up steps, %d rounds after a warm-up"
                            + " round%nJVM: %s%nPython PyTorch: %s%n",
                    fashion.info().source(),
                    fashion.size(),
                    BATCH,
                    steps,
                    WARM_UP,
                    rounds,
                    malloc,
                    python == null ? "not available" : python.version());
            Path folder = data;
            int blockSteps = steps;
            for (int threads : settings) {
                int jvm = ThreadConfigs.applyToJvm(threads);
                System.out.printf(
                        Locale.ROOT,
                        "%n##### %d intra-op thread(s) for every contender: JVM libtorch %d, Python"
                                + " torch.get_num_threads() %s and %s%n",
                        threads,
                        jvm,
                        python == null ? "-" : python.threads(threads),
                        pythonTuned == null ? "-" : pythonTuned.threads(threads));
                FashionBenchmark bench = new FashionBenchmark(fashion, blockSteps, threads);
                Interleaved blocks = new Interleaved(rounds).warmUpRounds(1);
                blocks.add(
                        "trainsight, all on", () -> bench.trainsight(true, MemoryFormat.AUTO, 1));
                blocks.add("trainsight, lean", () -> bench.trainsight(false, MemoryFormat.AUTO, 1));
                blocks.add(
                        "trainsight, all on, contiguous",
                        () -> bench.trainsight(true, MemoryFormat.CONTIGUOUS, 1));
                blocks.add(
                        "trainsight, all on, batches on the training thread",
                        () -> bench.trainsight(true, MemoryFormat.AUTO, 0));
                if (python != null) {
                    blocks.add(
                            "Python PyTorch", () -> python.cnn(folder, BATCH, blockSteps, false));
                }
                if (pythonTuned != null) {
                    blocks.add(
                            "Python PyTorch, glibc tuned",
                            () -> pythonTuned.cnn(folder, BATCH, blockSteps, false));
                    blocks.add(
                            "Python PyTorch, glibc tuned, channels-last",
                            () -> pythonTuned.cnn(folder, BATCH, blockSteps, true));
                }
                blocks.run(System.out).printRatios(System.out, "trainsight, all on");
            }
        }
    }

    /**
     * The cnn example's model trained by the loop on batches from the loader, built on the training
     * thread ({@code workers} 0) or ahead by worker threads.
     */
    private double trainsight(boolean allOn, MemoryFormat format, int workers) throws Exception {
        try (Model model = Model.newInstance("cnn");
                DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(BATCH)
                                .optShuffle(true)
                                .optSeed(1)
                                .optNumWorkers(workers)
                                .build()) {
            model.setBlock(CnnCase.block(10));
            StepWindow window = new StepWindow(WARM_UP);
            TrainingLoopBuilder builder =
                    TrainingLoop.builder()
                            .setModel(model)
                            .setLoss(Loss.softmaxCrossEntropyLoss())
                            .setOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-3f))
                                            .build())
                            .setInputShapes(new Shape(BATCH).addAll(dataset.info().inputShape()))
                            .setTrainingLoader(loader)
                            .optSteps(WARM_UP + steps)
                            .optThreads(threads)
                            .optMemoryFormat(format)
                            .addListener(window);
            try (AllOn watching = allOn ? AllOn.attach(builder) : null;
                    TrainingLoop loop = builder.build()) {
                loop.run();
            }
            return window.stepsPerSecond();
        }
    }
}
