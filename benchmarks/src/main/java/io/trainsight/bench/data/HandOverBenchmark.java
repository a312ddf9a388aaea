package io.trainsight.bench.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import io.trainsight.bench.Interleaved;
import io.trainsight.data.DataLoader;
import io.trainsight.data.EpochIterator;
import io.trainsight.data.LoadedBatch;
import io.trainsight.trainer.internal.memory.NativeMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the consumer waits to take a batch that workers built, when they keep up: a shuffled epoch
 * of in-memory batches (32 rows of 64 floats, 512 batches) consumed by a loop that spins for a
 * fixed step time after each batch, inline (no workers) and with 1 and 2 workers at the default
 * prefetch of 2 per worker, alternating in rounds. It prints, per configuration, the medians over
 * rounds of each round's median, 90th percentile and mean wait, and the mean as a share of the
 * step.
 *
 * <p>Run: {@code benchmarks/run data.HandOverBenchmark [--rounds R] [--step-us S]}.
 */
public final class HandOverBenchmark {

    private static final int ROWS = 16384;
    private static final int BATCH = 32;
    private static volatile long sink;

    private HandOverBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        long stepMicros = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--step-us" -> stepMicros = Long.parseLong(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument " + args[i] + "; valid: --rounds R, --step-us S");
            }
        }
        System.out.println(
                NativeMemory.keepFreedMemory().orElse("glibc's allocator left as it is"));
        System.out.printf(
                Locale.ROOT,
                "== %d batches of %d x 64 floats per block, a %d us step after each, %d rounds"
                        + " after a warm-up round%n",
                ROWS / BATCH,
                BATCH,
                stepMicros,
                rounds);
        int[] workers = {0, 1, 2};
        double[][][] figures = new double[workers.length][4][rounds];
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset =
                    new ArrayDataset.Builder()
                            .setData(manager.randomNormal(new Shape(ROWS, 64)))
                            .optLabels(manager.arange((float) ROWS))
                            .setSampling(BATCH, true)
                            .build();
            for (int round = -1; round < rounds; round++) {
                for (int w = 0; w < workers.length; w++) {
                    double[] block = block(dataset, workers[w], round + 1, stepMicros);
                    if (round >= 0) {
                        for (int f = 0; f < block.length; f++) {
                            figures[w][f][round] = block[f];
                        }
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-22s %12s %12s %12s %12s%n",
                "loader",
                "median us",
                "p90 us",
                "mean us",
                "mean/step");
        for (int w = 0; w < workers.length; w++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %12.1f %12.1f %12.1f %11.1f%%%n",
                    workers[w] == 0 ? "inline (no workers)" : workers[w] + " worker(s), prefetch 2",
                    Interleaved.median(figures[w][0]),
                    Interleaved.median(figures[w][1]),
                    Interleaved.median(figures[w][2]),
                    100 * Interleaved.median(figures[w][3]));
        }
    }

    /** One epoch; returns the median, 90th percentile and mean wait (us) and the mean's share. */
    private static double[] block(ArrayDataset dataset, int workers, int epoch, long stepMicros)
            throws Exception {
        List<Long> waits = new ArrayList<>();
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(BATCH)
                                .optShuffle(true)
                                .optSeed(3)
                                .optNumWorkers(workers)
                                .build();
                EpochIterator batches = loader.epoch(epoch)) {
            for (LoadedBatch batch : batches) {
                waits.add(batch.timing().waitNanos());
                batch.close();
                long end = System.nanoTime() + stepMicros * 1000;
                long spins = 0;
                while (System.nanoTime() < end) {
                    spins++;
                }
                sink = spins;
            }
        }
        long[] sorted = waits.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e3;
        return new double[] {
            sorted[sorted.length / 2] / 1e3,
            sorted[sorted.length * 9 / 10] / 1e3,
            mean,
            mean / (stepMicros + mean)
        };
    }
}
