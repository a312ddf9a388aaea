package io.trainsight.trainer.internal.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.trainsight.data.DataLoader;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.MlpProblem;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderFeedTest {

    private static final long MS = 1_000_000;

    @TempDir Path tmp;

    /**
     * A data set that takes 3 ms a sample (16 a batch) on a manual clock: without workers every
     * step's data wait is exactly the batch's 48 ms load; with workers that finished the batch
     * while the previous step ran (each step waits until they have, and they may not start the
     * batch after it), the step waits for nothing.
     */
    @Test
    void aSlowDataSetShowsAsDataWaitAndWorkersHideIt() throws Exception {
        try (MlpProblem problem = new MlpProblem(512)) {
            List<Long> inline = waits(problem, 0);
            assertThat(inline)
                    .as("inline loading: each step waits for its whole batch")
                    .hasSize(12)
                    .containsOnly(48 * MS);
            List<Long> prefetched = waits(problem, 4);
            assertThat(prefetched.subList(1, 12))
                    .as("4 workers built each batch during the step before")
                    .containsOnly(0L);
        }
    }

    /** Runs 12 steps over the slow data set and returns each step's data wait. */
    private static List<Long> waits(MlpProblem problem, int workers) throws Exception {
        AtomicLong clock = new AtomicLong();
        SlowDataset data =
                new SlowDataset(problem.dataset(16, false), clock, 3, workers > 0 ? 13 : 0);
        List<Long> waits = new ArrayList<>();
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(data)
                                .setBatchSize(16)
                                .optNumWorkers(workers)
                                .optTicker(clock::get)
                                .build();
                TrainingLoop loop =
                        problem.withoutData(16)
                                .setTrainingLoader(loader)
                                .optSteps(12)
                                .addListener(
                                        new io.trainsight.insight.timeline.StepListener() {
                                            @Override
                                            public void onStep(StepRecord record) {
                                                waits.add(record.dataWaitNanos());
                                                data.stepDone((int) record.step());
                                            }
                                        })
                                .build()) {
            loop.run();
        }
        return waits;
    }

    @Test
    void resumeWithTheLoaderContinuesExactlyMidEpoch() throws Exception {
        try (MlpProblem problem = new MlpProblem(400)) {
            ArrayDataset data = problem.dataset(16, false);
            List<Float> whole = losses(problem, data, 60, null);
            Path dir = tmp.resolve("ckpt");
            losses(problem, data, 33, dir); // 25 batches per epoch: stops in epoch 2
            List<Float> resumed = losses(problem, data, 60, dir);
            assertThat(resumed).containsExactlyElementsOf(whole.subList(33, 60));
        }
    }

    private static List<Float> losses(MlpProblem problem, ArrayDataset data, int steps, Path dir)
            throws Exception {
        List<Float> losses = new ArrayList<>();
        try (DataLoader loader =
                DataLoader.builder()
                        .setDataset(data)
                        .setBatchSize(16)
                        .optShuffle(true)
                        .optSeed(9)
                        .optNumWorkers(2)
                        .build()) {
            TrainingLoopBuilder builder =
                    problem.withoutData(16)
                            .setTrainingLoader(loader)
                            .optSteps(steps)
                            .addListener(
                                    new io.trainsight.insight.timeline.StepListener() {
                                        @Override
                                        public void onStep(StepRecord record) {
                                            losses.add(record.loss());
                                        }
                                    });
            boolean resume = dir != null && java.nio.file.Files.exists(dir);
            if (dir != null) {
                builder.optCheckpoints(dir, 0, 1);
            }
            try (TrainingLoop loop = builder.build()) {
                TrainingResult result = resume ? loop.resume(dir) : loop.run();
                assertThat(result.steps()).isEqualTo(steps);
            }
        }
        return losses;
    }

    /**
     * Wraps a data set so that reading a sample takes a fixed time on a manual clock, like a slow
     * disk or decode. With {@code gatedBatches > 0} (the workers' case) batch {@code b} may be read
     * only after step {@code b} is done, and {@link #stepDone} returns once the next batch is read:
     * the workers build each batch while the step before it runs, and never during the step's wait.
     */
    private static final class SlowDataset extends ai.djl.training.dataset.RandomAccessDataset {
        private final ArrayDataset inner;
        private final AtomicLong clock;
        private final long nanos;
        private final CountDownLatch[] mayRead;
        private final CountDownLatch[] read;
        private final CountDownLatch never = new CountDownLatch(1);

        SlowDataset(ArrayDataset inner, AtomicLong clock, long millis, int gatedBatches) {
            super(new Config().setSampling(16, false));
            this.inner = inner;
            this.clock = clock;
            this.nanos = millis * MS;
            this.mayRead = new CountDownLatch[gatedBatches];
            this.read = new CountDownLatch[gatedBatches];
            for (int b = 0; b < gatedBatches; b++) {
                mayRead[b] = new CountDownLatch(b == 0 ? 0 : 1);
                read[b] = new CountDownLatch(16);
            }
        }

        /** After step {@code step}: lets batch {@code step} be read and waits until it is. */
        void stepDone(int step) {
            if (step < mayRead.length) {
                mayRead[step].countDown();
                await(read[step]);
            }
        }

        @Override
        public Record get(NDManager manager, long index) throws java.io.IOException {
            int batch = (int) (index / 16);
            if (mayRead.length > 0) {
                try {
                    // Batches past the test's steps wait until the loader is closed.
                    (batch < mayRead.length ? mayRead[batch] : never).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            clock.addAndGet(nanos);
            Record record = inner.get(manager, index);
            Record copied =
                    new Record(copy(record.getData(), manager), copy(record.getLabels(), manager));
            if (mayRead.length > 0) {
                read[batch].countDown();
            }
            return copied;
        }

        private static void await(CountDownLatch latch) {
            try {
                assertThat(latch.await(60, TimeUnit.SECONDS))
                        .as("the workers read the batch")
                        .isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private static NDList copy(NDList list, NDManager manager) {
            NDList copied = new NDList();
            for (NDArray array : list) {
                copied.add(array.duplicate());
            }
            copied.attach(manager);
            return copied;
        }

        @Override
        protected long availableSize() {
            return inner.size();
        }

        @Override
        public void prepare(Progress progress) {}

        private static final class Config extends BaseBuilder<Config> {
            @Override
            protected Config self() {
                return this;
            }
        }
    }
}
