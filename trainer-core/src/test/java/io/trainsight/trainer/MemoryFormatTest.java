package io.trainsight.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.trainer.internal.update.LayoutProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The layout of image batches: which models get channels-last by default, that the names read back,
 * and that a convolutional net trains to the same losses in either layout.
 */
class MemoryFormatTest {

    private static final Device[] CPU = {Device.cpu()};

    @Test
    void byDefaultAConvolutionalModelOnTheCpuGetsChannelsLastAndOthersNot() {
        assertThat(MemoryFormat.AUTO.channelsLast(convNet(), CPU)).isTrue();
        assertThat(MemoryFormat.AUTO.channelsLast(mlp(), CPU)).isFalse();
        assertThat(MemoryFormat.AUTO.channelsLast(convNet(), new Device[] {Device.gpu(0)}))
                .as("on a GPU the layout cuDNN is given is kept")
                .isFalse();
        assertThat(MemoryFormat.CHANNELS_LAST.channelsLast(mlp(), CPU)).isTrue();
        assertThat(MemoryFormat.CONTIGUOUS.channelsLast(convNet(), CPU)).isFalse();
    }

    @Test
    void theLogLineSaysWhatWasChosenAndWhy() {
        assertThat(MemoryFormat.AUTO.describe(convNet(), CPU))
                .startsWith("Image batches: channels-last (a 2-D convolution on the CPU")
                .contains("--memory-format contiguous");
        assertThat(MemoryFormat.AUTO.describe(mlp(), CPU))
                .isEqualTo(
                        "Image batches: contiguous, as loaded (the model has no 2-D convolution)");
        assertThat(MemoryFormat.CONTIGUOUS.describe(convNet(), CPU))
                .isEqualTo(
                        "Image batches: contiguous, as loaded (set with optMemoryFormat or"
                                + " --memory-format)");
    }

    @Test
    void namesReadBackAndAWrongOneIsNamedWithTheValidOnes() {
        for (MemoryFormat format : MemoryFormat.values()) {
            assertThat(MemoryFormat.of(format.toString())).isEqualTo(format);
        }
        assertThat(MemoryFormat.of(" Channels_Last ")).isEqualTo(MemoryFormat.CHANNELS_LAST);
        assertThatThrownBy(() -> MemoryFormat.of("nhwc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'nhwc' is not a memory format; valid: auto, channels-last, contiguous");
    }

    @Test
    void aConvolutionalNetTrainsToTheSameLossesInEitherLayout() throws Exception {
        float[] contiguous = losses(MemoryFormat.CONTIGUOUS);
        float[] channelsLast = losses(MemoryFormat.CHANNELS_LAST);
        assertThat(contiguous[contiguous.length - 1])
                .as("the net learns")
                .isLessThan(contiguous[0]);
        for (int i = 0; i < contiguous.length; i++) {
            assertThat(channelsLast[i])
                    .as("loss of step %d", i + 1)
                    .isCloseTo(contiguous[i], within(1e-4f * Math.max(1f, contiguous[i])));
        }
    }

    @Test
    void evaluationRunsInTheLayoutOfTheStepsToTheSameValues() throws Exception {
        Map<String, Float> contiguous = evaluated(MemoryFormat.CONTIGUOUS, false);
        Map<String, Float> channelsLast = evaluated(MemoryFormat.AUTO, true);
        assertThat(channelsLast.keySet()).containsExactly("Accuracy", "SoftmaxCrossEntropyLoss");
        for (Map.Entry<String, Float> value : contiguous.entrySet()) {
            assertThat(channelsLast.get(value.getKey()))
                    .as(value.getKey())
                    .isCloseTo(value.getValue(), within(1e-5f));
        }
    }

    /**
     * Evaluates a fresh conv net (the loop's seed makes its weights the same every time) whose
     * first block checks the layout of every batch it is given.
     */
    private static Map<String, Float> evaluated(MemoryFormat format, boolean expectChannelsLast)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                LayoutProbe probe = new LayoutProbe(manager);
                Model model = Model.newInstance("conv")) {
            List<Boolean> seen = new ArrayList<>();
            model.setBlock(
                    new SequentialBlock()
                            .add(
                                    new LambdaBlock(
                                            inputs -> {
                                                seen.add(probe.channelsLast(inputs.head()));
                                                return inputs;
                                            }))
                            .add(convNet()));
            ArrayDataset data = images(manager, 24);
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
            try (TrainingLoop loop = convLoop(model, data, format, sgd, 1).build()) {
                seen.clear(); // the shapes' initialization ran the block once
                Map<String, Float> values =
                        loop.evaluate(
                                data, List.of(new Accuracy(), Loss.softmaxCrossEntropyLoss()));
                assertThat(seen)
                        .as("the layout of the 3 batches evaluated")
                        .hasSize(3)
                        .containsOnly(expectChannelsLast);
                return values;
            }
        }
    }

    /** Twelve steps of a 3-channel conv net on random 8×8 images, from the same seed. */
    private static float[] losses(MemoryFormat format) throws Exception {
        RecordingListener steps = new RecordingListener();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("conv")) {
            model.setBlock(convNet());
            ArrayDataset data = images(manager, 48);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
            try (TrainingLoop loop =
                    convLoop(model, data, format, adam, 12).addListener(steps).build()) {
                loop.run();
            }
        }
        float[] out = new float[steps.steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = steps.steps.get(i).loss();
        }
        return out;
    }

    /** A loop training the conv net on batches of 8 of {@link #images} for a number of steps. */
    private static TrainingLoopBuilder convLoop(
            Model model, ArrayDataset data, MemoryFormat format, Optimizer optimizer, int steps) {
        return TrainingLoop.builder()
                .setModel(model)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .setOptimizer(optimizer)
                .setInputShapes(new Shape(8, 3, 8, 8))
                .setTrainingSet(data)
                .optMemoryFormat(format)
                .optSteps(steps);
    }

    /** 3-channel 8×8 images of 3 classes, each class showing in one channel's first pixel. */
    private static ArrayDataset images(NDManager manager, int samples) {
        Random random = new Random(5);
        float[] images = new float[samples * 3 * 8 * 8];
        float[] labels = new float[samples];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < samples; i++) {
            labels[i] = i % 3;
            images[i * 192 + (i % 3) * 64] += 3f;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(images, new Shape(samples, 3, 8, 8)))
                .optLabels(manager.create(labels))
                .setSampling(8, false)
                .build();
    }

    private static Block convNet() {
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(4)
                                .build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
    }
}
