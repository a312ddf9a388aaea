package io.trainsight.examples.iobound;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.cnn.CnnExample;
import io.trainsight.examples.data.PatternImages;
import io.trainsight.examples.data.PngDataset;
import java.time.Duration;

/**
 * The classic input-bound job: the cnn example's network on 32×32 pattern images stored as PNG,
 * each read with a simulated storage latency of 0.25 ms and then decoded with {@code
 * javax.imageio}. With {@code --workers 0} every step waits for its 32 reads (most of the step);
 * with {@code --workers 8} the loader reads ahead and the steps hardly wait.
 */
public final class IoBoundExample implements Example {

    /** The simulated storage latency of one sample. */
    public static final Duration LATENCY = Duration.ofNanos(250_000);

    static final int SIZE = 32;
    static final int TRAINING_SAMPLES = 2048;
    static final int HELD_OUT_SAMPLES = 256;
    private static final float NOISE = 0.8f;

    @Override
    public String name() {
        return "io-bound";
    }

    @Override
    public String description() {
        return "CNN on 32x32 pattern images read as PNG with a 0.25 ms storage latency per sample"
                + " (2048 training, 256 held-out): input-bound without loader workers";
    }

    @Override
    public ExampleData generate(ExampleSettings settings) {
        PatternImages images = new PatternImages(SIZE, NOISE);
        int batch = settings.batchSize();
        return new ExampleData(
                PngDataset.generate(
                        images, TRAINING_SAMPLES, batch, true, settings.seed() + 1, LATENCY),
                PngDataset.generate(
                        images, HELD_OUT_SAMPLES, batch, false, settings.seed() + 2, Duration.ZERO),
                new Shape(1, SIZE, SIZE),
                PatternImages.CLASSES,
                () -> {});
    }

    @Override
    public Block block(Shape sampleShape, int classes) {
        return new CnnExample().block(sampleShape, classes);
    }
}
