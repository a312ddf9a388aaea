package io.trainsight.data;

/**
 * The consumer waited longer than the loader's timeout for a batch. The message names the batch
 * and, when a worker was building it, the worker and for how long.
 */
public class DataLoaderTimeoutException extends DataLoadingException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the message, naming the batch
     * @param batchIndex the batch's position in the epoch, in sampler order
     */
    public DataLoaderTimeoutException(String message, long batchIndex) {
        super(message, batchIndex, NO_SAMPLE, null);
    }

    @Override
    public DataLoadingException rethrownHere() {
        return new DataLoaderTimeoutException(getMessage(), batchIndex());
    }
}
