package io.trainsight.data.internal;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.lang.reflect.Field;

/**
 * The batch size a DJL data set was built with ({@code setSampling(batchSize, shuffle)}, which
 * DJL's dataset builders require), so that a loader over it needs no second one. DJL keeps the
 * sampler in a protected field; it is read once, when a loader or a training loop is built. Not
 * API.
 */
public final class DatasetSampling {

    private DatasetSampling() {}

    /**
     * Returns the batch size a loader over a data set uses: its own when it was given one, else the
     * data set's.
     *
     * @param dataset the data set
     * @param given the loader's own batch size, or null
     * @return the batch size; null when neither is known
     */
    public static Integer batchSize(RandomAccessDataset dataset, Integer given) {
        return given != null ? given : samplingBatchSize(dataset);
    }

    /**
     * Returns the batch size of a data set's own sampling.
     *
     * @param dataset the data set
     * @return the batch size, or null when it has no readable sampler
     */
    public static Integer samplingBatchSize(RandomAccessDataset dataset) {
        try {
            Field field = RandomAccessDataset.class.getDeclaredField("sampler");
            field.setAccessible(true);
            Object sampler = field.get(dataset);
            return sampler instanceof Sampler s ? s.getBatchSize() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
