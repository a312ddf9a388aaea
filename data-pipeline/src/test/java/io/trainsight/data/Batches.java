package io.trainsight.data;

import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads whole epochs in tests, closing every batch. */
final class Batches {

    private Batches() {}

    /** Returns the sample indices of a batch (the labels of a {@link ScriptedDataset}). */
    static List<Long> samples(LoadedBatch batch) {
        List<Long> samples = new ArrayList<>();
        for (float label : batch.labels().head().toFloatArray()) {
            samples.add((long) label);
        }
        return samples;
    }

    /** Returns each batch's samples, in the order the batches were handed over. */
    static List<List<Long>> read(EpochIterator epoch) {
        List<List<Long>> batches = new ArrayList<>();
        try (epoch) {
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    batches.add(samples(batch));
                }
            }
        }
        return batches;
    }

    /** Returns each batch's index, in the order the batches were handed over. */
    static List<Long> indices(EpochIterator epoch) {
        List<Long> indices = new ArrayList<>();
        try (epoch) {
            for (LoadedBatch batch : epoch) {
                try (batch) {
                    indices.add(batch.index());
                }
            }
        }
        return indices;
    }

    /** Builds a loader over a data set of {@code size} samples. */
    static DataLoader.Builder loader(ScriptedDataset dataset, int batchSize) {
        return DataLoader.builder().setDataset(dataset).setBatchSize(batchSize);
    }

    /** Builds a loader, turning the checked exceptions of preparing the data set into failures. */
    static DataLoader build(DataLoader.Builder builder) {
        try {
            return builder.build();
        } catch (IOException | TranslateException e) {
            throw new AssertionError("the test data set cannot fail to prepare", e);
        }
    }
}
