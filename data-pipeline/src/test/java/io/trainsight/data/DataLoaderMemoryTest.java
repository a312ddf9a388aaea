package io.trainsight.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand batches through the loader leave neither heap nor native memory behind.
 *
 * <p>Each batch holds 32 samples of 64 floats: 8 KiB of tensor data, plus 33 tensors' native
 * headers and Java wrappers. A loader that leaked whole batches would grow the resident set by at
 * least 8 KiB × 10,000 = 80 MiB and keep ~330,000 wrappers on the heap; one that leaked only the
 * per-sample tensors would lose more. The bounds (24 MiB resident, 16 MiB heap) sit well below
 * those and above the noise of a warmed-up JVM: measured here, the resident set grows about 20 MiB
 * over the first 10,000 batches (JIT code, allocator caches) and 2 to 5 MiB over the next 10,000,
 * so the test warms up for 10,000 batches first. The module's Surefire settings fix the heap size
 * and the number of malloc arenas, so that neither heap resizing nor glibc's per-thread arenas move
 * the resident set.
 */
class DataLoaderMemoryTest {

    private static final int FEATURES = 64;
    private static final int BATCH = 32;
    private static final int BATCHES_PER_EPOCH = 1000;
    private static final long MIB = 1024 * 1024;

    @Test
    void tenThousandBatchesLeaveNoHeapOrNativeMemoryBehind() throws Exception {
        Vectors dataset = new Vectors(BATCH * BATCHES_PER_EPOCH);
        try (NDManager root = NDManager.newBaseManager();
                DataLoader loader =
                        DataLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(BATCH)
                                .optNumWorkers(2)
                                .optShuffle(true)
                                .optManager(root)
                                .build()) {
            run(loader, 0, 10); // warm-up: JIT, allocator caches
            long heapBefore = heapAfterGc();
            long rssBefore = residentBytes();
            long batches = run(loader, 10, 10);
            long heapGrowth = heapAfterGc() - heapBefore;
            long rssGrowth = residentBytes() - rssBefore;
            System.out.printf(
                    "%d batches: heap %+.1f MiB, resident %+.1f MiB%n",
                    batches, heapGrowth / (double) MIB, rssGrowth / (double) MIB);
            assertThat(batches).isEqualTo(10_000);
            assertThat(root.getManagedArrays()).as("every batch's arrays were freed").isEmpty();
            assertThat(heapGrowth).as("heap growth, bytes").isLessThan(16 * MIB);
            assertThat(rssGrowth).as("resident set growth, bytes").isLessThan(24 * MIB);
        }
    }

    private static long run(DataLoader loader, int firstEpoch, int epochs) {
        long batches = 0;
        for (int epoch = firstEpoch; epoch < firstEpoch + epochs; epoch++) {
            try (EpochIterator iterator = loader.epoch(epoch)) {
                for (LoadedBatch batch : iterator) {
                    try (batch) {
                        // Touch the data as a trainer would, with a temporary in the batch's
                        // manager.
                        batch.data().head().sum().close();
                        batches++;
                    }
                }
            }
        }
        return batches;
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }

    /** Sample {@code i} is 64 floats, all {@code i}, with label {@code i % 10}. */
    private static final class Vectors extends RandomAccessDataset {
        private final long size;

        Vectors(long size) {
            super(new Builder().setSampling(1, false));
            this.size = size;
        }

        @Override
        public Record get(NDManager manager, long index) {
            float[] values = new float[FEATURES];
            java.util.Arrays.fill(values, index);
            return new Record(
                    new NDList(manager.create(values)), new NDList(manager.create(index % 10f)));
        }

        @Override
        protected long availableSize() {
            return size;
        }

        @Override
        public void prepare(Progress progress) {}

        private static final class Builder extends BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }
}
