package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.trainer.amp.LossScaler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MixedPrecisionTest {

    @Test
    void anFp16RunHasFp16WeightsAndReachesTheLossOfFp32() throws Exception {
        // 8192 samples: 300 steps of 32 stay in the first two epochs, far from overfitting, so
        // the held-out loss measures what was learned, not the noise of an overfit.
        try (MlpProblem problem = new MlpProblem(8192)) {
            ArrayDataset heldOut = problem.heldOut(4096);
            float lossFp32;
            try (TrainingLoop loop = problem.loop(32, true).optSteps(300).build()) {
                loop.run();
                lossFp32 = heldOutLoss(loop, heldOut);
            }
            float lossFp16;
            RecordingListener fp16 = new RecordingListener();
            try (TrainingLoop loop =
                    problem.loop(32, true)
                            .optPrecision(Precision.FP16)
                            .optSteps(300)
                            .addListener(fp16)
                            .build()) {
                loop.run();
                lossFp16 = heldOutLoss(loop, heldOut);
                assertThat(
                                loop.getTrainer()
                                        .getModel()
                                        .getBlock()
                                        .getParameters()
                                        .get(0)
                                        .getValue()
                                        .getArray()
                                        .getDataType())
                        .isEqualTo(DataType.FLOAT16);
            }
            double lastFp16 = meanLoss(fp16.steps.subList(250, 300));
            double firstFp16 = meanLoss(fp16.steps.subList(0, 50));
            assertThat(lastFp16)
                    .as("the fp16 loss falls: first 50 %f, last 50 %f", firstFp16, lastFp16)
                    .isLessThan(firstFp16 * 0.8);
            assertThat(Math.abs(lossFp16 - lossFp32) / lossFp32)
                    .as("held-out loss after 300 steps: fp16 %f vs fp32 %f", lossFp16, lossFp32)
                    .isLessThan(0.05f);
            // 65536 does not fit in FP16 (max 65504): the first steps overflow and halve it.
            assertThat(fp16.steps.get(0).skipped()).isTrue();
            assertThat(fp16.steps.get(0).lossScale()).isEqualTo(65536f);
            assertThat(fp16.steps.stream().filter(StepRecord::skipped).count()).isLessThan(5);
        }
    }

    @Test
    void aForcedOverflowSkipsExactlyThatStepAndHalvesTheScale() throws Exception {
        AtomicInteger forwards = new AtomicInteger();
        AtomicInteger overflowAt = new AtomicInteger(-1);
        // One forward pass multiplies its activations by 1e6: inf in FP16.
        LambdaBlock overflowOnce =
                new LambdaBlock(
                        list -> {
                            NDArray x = list.singletonOrThrow();
                            boolean overflow = forwards.incrementAndGet() == overflowAt.get();
                            return new NDList(overflow ? x.mul(1e6f) : x);
                        });
        try (MlpProblem problem = new MlpProblem(256)) {
            SequentialBlock block =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(32).build())
                            .add(overflowOnce)
                            .add(Activation::relu)
                            .add(Linear.builder().setUnits(MlpProblem.CLASSES).build());
            RecordingListener events = new RecordingListener();
            ParameterSnapshots snapshots = new ParameterSnapshots();
            try (TrainingLoop loop =
                    problem.loop(block, 32, false)
                            .optPrecision(Precision.FP16)
                            .optLossScaler(() -> new LossScaler(1024f, 2000))
                            .optSteps(5)
                            .addListener(events)
                            .addListener(snapshots)
                            .build()) {
                snapshots.loop = loop;
                // LambdaBlock ran at initialization to infer its shape: count from here.
                overflowAt.set(forwards.get() + 3);
                loop.run();
            }
            List<StepRecord> steps = events.steps;
            assertThat(steps)
                    .extracting(StepRecord::skipped)
                    .containsExactly(false, false, true, false, false);
            assertThat(steps)
                    .extracting(StepRecord::lossScale)
                    .containsExactly(1024f, 1024f, 1024f, 512f, 512f);
            assertThat(steps.get(2).gradNorm()).isNaN();
            assertThat(snapshots.after.get(2))
                    .as("parameters after the skipped step")
                    .isEqualTo(snapshots.after.get(1));
            assertThat(snapshots.after.get(3)).isNotEqualTo(snapshots.after.get(2));
        }
    }

    private static float heldOutLoss(TrainingLoop loop, ArrayDataset heldOut) throws Exception {
        return loop.evaluate(heldOut, List.of(Loss.softmaxCrossEntropyLoss("loss"))).get("loss");
    }

    private static double meanLoss(List<StepRecord> steps) {
        return steps.stream().mapToDouble(StepRecord::loss).average().orElseThrow();
    }

    /** Copies the first weight after every step. */
    private static final class ParameterSnapshots implements StepListener {
        TrainingLoop loop;
        final List<List<Float>> after = new java.util.ArrayList<>();

        @Override
        public void onStep(StepRecord record) {
            Map<String, float[]> values = Parameters.of(loop);
            float[] first = values.values().iterator().next();
            List<Float> copy = new java.util.ArrayList<>();
            for (float v : first) {
                copy.add(v);
            }
            after.add(copy);
        }
    }
}
