package io.trainsight.trainer.feed;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderFeedTest {

    @TempDir Path tmp;

    @Test
    void aSlowDataSetShowsAsDataWaitAndWorkersHideIt() throws Exception {
        try (MlpProblem problem = new MlpProblem(512)) {
            // 3 ms per sample, 16 samples per batch: about 48 ms to build a batch.
            SlowDataset slow = new SlowDataset(problem.dataset(16, false), 3);
            double inline = meanWaitMillis(problem, slow, 0);
            double prefetched = meanWaitMillis(problem, slow, 4);
            assertThat(inline).as("inline loading: the step waits for its batch").isGreaterThan(40);
            assertThat(prefetched).as("4 workers vs inline").isLessThan(inline / 2);
        }
    }

    private static double meanWaitMillis(MlpProblem problem, SlowDataset data, int workers)
            throws Exception {
        List<StepRecord> steps = new ArrayList<>();
        try (DataLoader loader =
                        DataLoader.builder()
                                .setDataset(data)
                                .setBatchSize(16)
                                .optNumWorkers(workers)
                                .build();
                TrainingLoop loop =
                        problem.withoutData(16)
                                .setTrainingLoader(loader)
                                .optSteps(12)
                                .addListener(
                                        new io.trainsight.insight.timeline.StepListener() {
                                            @Override
                                            public void onStep(StepRecord record) {
                                                steps.add(record);
                                            }
                                        })
                                .build()) {
            loop.run();
        }
        // Skip the first steps, while the workers fill their queue.
        return steps.subList(4, 12).stream()
                        .mapToLong(StepRecord::dataWaitNanos)
                        .average()
                        .orElseThrow()
                / 1e6;
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

    /** Wraps a data set so that reading a sample takes a fixed time, like a slow disk or decode. */
    private static final class SlowDataset extends ai.djl.training.dataset.RandomAccessDataset {
        private final ArrayDataset inner;
        private final long millis;

        SlowDataset(ArrayDataset inner, long millis) {
            super(new Config().setSampling(16, false));
            this.inner = inner;
            this.millis = millis;
        }

        @Override
        public Record get(NDManager manager, long index) throws java.io.IOException {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            Record record = inner.get(manager, index);
            return new Record(copy(record.getData(), manager), copy(record.getLabels(), manager));
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
