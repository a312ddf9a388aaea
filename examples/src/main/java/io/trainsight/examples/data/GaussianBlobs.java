package io.trainsight.examples.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;

/**
 * A generated classification data set: each class is a Gaussian cloud around its own random centre.
 * The clouds overlap a little, so a model learns it quickly but not perfectly, and the same seed
 * always gives the same samples.
 */
public final class GaussianBlobs {

    private final int features;
    private final int classes;
    private final float spread;
    private final float[][] centres;

    /**
     * Draws the class centres.
     *
     * @param features the number of features of a sample
     * @param classes the number of classes
     * @param spread how far apart the centres are, in units of the noise's standard deviation
     * @param seed the seed of the centres
     */
    public GaussianBlobs(int features, int classes, float spread, long seed) {
        this.features = features;
        this.classes = classes;
        this.spread = spread;
        Random random = new Random(seed);
        centres = new float[classes][features];
        for (float[] centre : centres) {
            for (int f = 0; f < features; f++) {
                centre[f] = (float) random.nextGaussian() * spread;
            }
        }
    }

    /** Returns the number of features of a sample. */
    public int features() {
        return features;
    }

    /** Returns the number of classes. */
    public int classes() {
        return classes;
    }

    /** Returns the distance scale of the centres. */
    public float spread() {
        return spread;
    }

    /**
     * Draws samples, the classes in turn, and makes a data set of them.
     *
     * @param manager the manager that owns the arrays
     * @param samples the number of samples
     * @param batchSize the batch size of the data set
     * @param shuffle whether the data set shuffles its samples every epoch
     * @param seed the seed of the samples
     * @return a data set of float32 features {@code (samples, features)} and float32 class labels
     */
    public ArrayDataset sample(
            NDManager manager, int samples, int batchSize, boolean shuffle, long seed) {
        Random random = new Random(seed);
        float[] x = new float[samples * features];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            int label = i % classes;
            y[i] = label;
            for (int f = 0; f < features; f++) {
                x[i * features + f] = centres[label][f] + (float) random.nextGaussian();
            }
        }
        NDArray data = manager.create(x).reshape(samples, features);
        NDArray labels = manager.create(y);
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(labels)
                .setSampling(batchSize, shuffle)
                .build();
    }
}
