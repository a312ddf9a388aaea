package io.trainsight.data.internal.loader;

import io.trainsight.data.DataLoadingException;

/** Starts the batch at a position of the epoch. */
interface BatchMaker extends AutoCloseable {

    /**
     * Starts building a batch.
     *
     * @param index the batch's position in the epoch
     * @param parts into how many shares the samples may be split (a maker may use fewer)
     * @return the batch's job
     */
    BatchJob job(long index, int parts);

    /** Frees what the maker holds for the epoch; called once no thread uses it any more. */
    @Override
    default void close() {}

    /**
     * Turns any failure of a job into one that names the batch.
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
