package io.trainsight.examples.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;

/**
 * Generated single-channel images of four kinds of pattern, one per class: horizontal stripes,
 * vertical stripes, diagonal stripes and a bright square, each at a random phase or place and under
 * Gaussian noise. Telling them apart takes spatial features, which is what a convolution learns;
 * the same seed always gives the same images.
 */
public final class PatternImages {

    /** The number of classes. */
    public static final int CLASSES = 4;

    private final int size;
    private final float noise;

    /**
     * Describes the images.
     *
     * @param size the height and width in pixels
     * @param noise the standard deviation of the noise added to patterns of amplitude 1
     */
    public PatternImages(int size, float noise) {
        this.size = size;
        this.noise = noise;
    }

    /** Returns the height and width of an image. */
    public int size() {
        return size;
    }

    /**
     * Draws images, the classes in turn, and makes a data set of them.
     *
     * @param manager the manager that owns the arrays
     * @param samples the number of images
     * @param batchSize the batch size of the data set
     * @param shuffle whether the data set shuffles its samples every epoch
     * @param seed the seed of the images
     * @return a data set of float32 images {@code (samples, 1, size, size)} and class labels
     */
    public ArrayDataset sample(
            NDManager manager, int samples, int batchSize, boolean shuffle, long seed) {
        Random random = new Random(seed);
        int pixels = size * size;
        float[] x = new float[samples * pixels];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            int label = i % CLASSES;
            y[i] = label;
            draw(label, random, x, i * pixels);
        }
        NDArray data = manager.create(x).reshape(samples, 1, size, size);
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(manager.create(y))
                .setSampling(batchSize, shuffle)
                .build();
    }

    /**
     * Draws one image of a class.
     *
     * @param label the class, from 0 to {@link #CLASSES} - 1
     * @param random the source of the phase, the place and the noise
     * @return the pixels, row by row, {@code size × size} values around 0 to 1
     */
    public float[] image(int label, Random random) {
        float[] image = new float[size * size];
        draw(label, random, image, 0);
        return image;
    }

    private void draw(int label, Random random, float[] image, int offset) {
        int phase = random.nextInt(4);
        int left = random.nextInt(size / 2);
        int top = random.nextInt(size / 2);
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                boolean on;
                switch (label) {
                    case 0:
                        on = (r + phase) % 4 < 2;
                        break;
                    case 1:
                        on = (c + phase) % 4 < 2;
                        break;
                    case 2:
                        on = (r + c + phase) % 4 < 2;
                        break;
                    default:
                        on = r >= top && r < top + size / 2 && c >= left && c < left + size / 2;
                        break;
                }
                image[offset + r * size + c] =
                        (on ? 1f : 0f) + (float) random.nextGaussian() * noise;
            }
        }
    }
}
