package io.trainsight.bench.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.Pipeline;
import io.trainsight.bench.Interleaved;
import io.trainsight.data.DataLoader;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;
import io.trainsight.data.format.FormatOptions;
import io.trainsight.data.format.csv.CsvDataset;
import io.trainsight.data.format.idx.IdxDataset;
import io.trainsight.trainer.internal.memory.NativeMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Batches per second of the loader over in-memory data, a batch read in one go (the default)
 * against sample by sample and stacked (what the loader did before, and still does with a
 * per-sample pipeline, forced here with an empty one): a 64-feature CSV file, DJL's ArrayDataset of
 * the same values, and Fashion-MNIST's IDX images when Debian's package is installed. Batches of 64
 * built on the consuming thread (no workers), shuffled, one epoch per block, alternating.
 *
 * <p>Run: {@code benchmarks/run data.GatherBenchmark [--rounds R]}.
 */
public final class GatherBenchmark {

    private static final int BATCH = 64;
    private static final int ROWS = 16384;
    private static final int FEATURES = 64;

    private GatherBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + args[i] + "; valid: --rounds R");
            }
        }
        // As in a training run: trainsight's loop tunes glibc's allocator before the first batch.
        System.out.println(
                NativeMemory.keepFreedMemory().orElse("glibc's allocator left as it is"));
        Path csv = Files.createTempFile("gather", ".csv");
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = writeCsv(csv);
            CsvDataset csvData = CsvDataset.open(csv, FormatOptions.defaults());
            ArrayDataset arrays =
                    new ArrayDataset.Builder()
                            .setData(manager.create(values, new Shape(ROWS, FEATURES)))
                            .optLabels(manager.arange((float) ROWS))
                            .setSampling(BATCH, true)
                            .build();
            System.out.printf(
                    Locale.ROOT,
                    "== batches of %d, shuffled, built on the consuming thread, one epoch per"
                            + " block, %d rounds%n",
                    BATCH,
                    rounds);
            compare("CSV, " + ROWS + " rows of " + FEATURES + " features", csvData, rounds);
            compare("ArrayDataset, the same values", arrays, rounds);
            Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
            if (Files.isDirectory(fashion)) {
                compare(
                        "IDX, Fashion-MNIST's 60000 training images",
                        IdxDataset.open(fashion, FormatOptions.defaults()),
                        rounds);
            } else {
                System.out.println("IDX left out: " + fashion + " is missing");
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private static void compare(String name, RandomAccessDataset dataset, int rounds)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s%n", name);
        new Interleaved(rounds)
                .add("sample by sample, stacked", () -> epoch(dataset, new Pipeline()))
                .add("gathered in one go", () -> epoch(dataset, null))
                .run(System.out);
    }

    private static double epoch(RandomAccessDataset dataset, Pipeline pipeline) throws Exception {
        DataLoader.Builder builder =
                DataLoader.builder()
                        .setDataset(dataset)
                        .setBatchSize(BATCH)
                        .optShuffle(true)
                        .optSeed(7);
        if (pipeline != null) {
            builder.optPipeline(pipeline);
        }
        long batches = 0;
        long start = System.nanoTime();
        try (DataLoader loader = builder.build();
                EpochIterator epoch = loader.epoch(0)) {
            for (LoadedBatch batch : epoch) {
                batch.close();
                batches++;
            }
        }
        return batches * 1e9 / (System.nanoTime() - start);
    }

    private static float[] writeCsv(Path file) throws java.io.IOException {
        Random random = new Random(5);
        float[] values = new float[ROWS * FEATURES];
        StringBuilder text = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            text.append('f').append(f).append(',');
        }
        text.append("label\n");
        for (int r = 0; r < ROWS; r++) {
            for (int f = 0; f < FEATURES; f++) {
                float v = Math.round(random.nextGaussian() * 1000) / 1000f;
                values[r * FEATURES + f] = v;
                text.append(v).append(',');
            }
            text.append(r % 10).append('\n');
        }
        Files.writeString(file, text);
        return values;
    }
}
