package io.trainsight.data.loader;

import ai.djl.training.dataset.Batch;
import io.trainsight.data.DataLoadingException;

/** Builds the batch at a position of the epoch. */
interface BatchMaker extends AutoCloseable {

    /**
     * Builds a batch.
     *
     * @param index the batch's position in the epoch
     * @return the batch, owning its manager, or {@code null} if the epoch ends before it
     * @throws DataLoadingException if the batch cannot be built
     */
    Batch make(long index);

    /** Frees what the maker holds for the epoch; called once no thread uses it any more. */
    @Override
    default void close() {}

    /**
     * Turns any failure of {@link #make} into one that names the batch.
     *
     * @param index the batch's position in the epoch
     * @param error the failure
     * @return the failure itself when it already names its batch, else one that wraps it
     */
    static DataLoadingException failure(long index, Throwable error) {
        if (error instanceof DataLoadingException loading) {
            return loading;
        }
        return new DataLoadingException(
                "Batch " + index + " failed: " + error,
                index,
                DataLoadingException.NO_SAMPLE,
                error);
    }
}
