package io.trainsight.bench.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.trainsight.bench.Interleaved;
import io.trainsight.data.BatchArrays;
import io.trainsight.trainer.internal.memory.NativeMemory;
import java.util.Locale;
import java.util.Random;

/**
 * Batches per second of creating a batch's array from Java values, the way a data set's {@code
 * getBatch} does: DJL's {@code NDManager.create(float[], Shape)} (a new direct buffer per batch,
 * which the array keeps until the garbage collector frees it) against {@link BatchArrays#of} (the
 * engine's own memory, written through a view). Between two batches a step's worth of other memory
 * is touched, as training does; each block builds a number of batches and closes each after use.
 *
 * <p>Run: {@code benchmarks/run data.BatchArraysBenchmark [--rounds R] [--batches N] [--width F]}.
 */
public final class BatchArraysBenchmark {

    private static final int BATCH = 64;
    private static final int STEP_BYTES = 8 << 20;

    private final float[] values;
    private final Shape shape;
    private final byte[] step = new byte[STEP_BYTES];
    private final int batches;

    private BatchArraysBenchmark(int width, int batches) {
        this.values = new float[BATCH * width];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        this.shape = new Shape(BATCH, width);
        this.batches = batches;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 9;
        int batches = 2000;
        int width = 784;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batches" -> batches = Integer.parseInt(args[++i]);
                case "--width" -> width = Integer.parseInt(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown argument "
                                        + args[i]
                                        + "; valid: --rounds R, --batches N, --width F");
            }
        }
        // As in a training run: trainsight's loop tunes glibc's allocator before the first batch.
        System.out.println(
                NativeMemory.keepFreedMemory().orElse("glibc's allocator left as it is"));
        System.out.printf(
                Locale.ROOT,
                "== float batches of %d x %d (%d KiB), %d per block, %d MiB touched between two,"
                        + " %d rounds%n",
                BATCH,
                width,
                BATCH * width * 4 / 1024,
                batches,
                STEP_BYTES >> 20,
                rounds);
        BatchArraysBenchmark bench = new BatchArraysBenchmark(width, batches);
        new Interleaved(rounds)
                .warmUpRounds(1)
                .add("DJL create(float[])", () -> bench.block(false))
                .add("BatchArrays.of", () -> bench.block(true))
                .run(System.out)
                .printRatios(System.out, "BatchArrays.of");
    }

    /** Builds the block's batches; returns batches per second, the step's touching excluded. */
    private double block(boolean engineMemory) {
        long nanos = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < batches; i++) {
                for (int b = 0; b < STEP_BYTES; b += 64) {
                    step[b]++;
                }
                long start = System.nanoTime();
                NDArray batch =
                        engineMemory
                                ? BatchArrays.of(manager, values, shape)
                                : manager.create(values, shape);
                nanos += System.nanoTime() - start;
                batch.close();
            }
        }
        return batches * 1e9 / nanos;
    }
}
