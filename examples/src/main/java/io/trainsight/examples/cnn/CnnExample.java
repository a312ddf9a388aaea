package io.trainsight.examples.cnn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleRun;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.data.PatternImages;
import java.util.List;

/**
 * A small convolutional net (two 3×3 convolutions with max pooling, then two dense layers) learning
 * to tell four kinds of generated 16×16 pattern images apart.
 */
public final class CnnExample implements Example {

    static final int SIZE = 16;
    static final int TRAINING_SAMPLES = 4096;
    static final int HELD_OUT_SAMPLES = 1024;
    private static final float NOISE = 0.8f;

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String description() {
        return "CNN conv8-conv16-32-4 on generated 16x16 pattern images (4096 training, 1024"
                + " held-out)";
    }

    @Override
    public ExampleRun prepare(ExampleSettings settings) {
        SequentialBlock block =
                new SequentialBlock()
                        .add(conv(8))
                        .add(Activation::relu)
                        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                        .add(conv(16))
                        .add(Activation::relu)
                        .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(32).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(PatternImages.CLASSES).build());
        Model model = Model.newInstance(name(), settings.device());
        model.setBlock(block);
        NDManager data = NDManager.newBaseManager(Device.cpu());
        PatternImages images = new PatternImages(SIZE, NOISE);
        int batch = settings.batchSize();
        return new ExampleRun(
                model,
                new Shape(batch, 1, SIZE, SIZE),
                Loss.softmaxCrossEntropyLoss(),
                Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                        .build(),
                images.sample(data, TRAINING_SAMPLES, batch, true, settings.seed() + 1),
                images.sample(data, HELD_OUT_SAMPLES, batch, false, settings.seed() + 2),
                List.of(new Accuracy()),
                data);
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }
}
