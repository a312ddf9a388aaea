package io.trainsight.data;

/**
 * A batch could not be built: a sample failed to load, the batch failed to collate, or (as a {@link
 * DataLoaderTimeoutException}) it was not ready in time. The message names the batch and, where one
 * sample was at fault, the sample; the cause is the original failure.
 */
public class DataLoadingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The value of {@link #sampleIndex()} when no single sample was at fault. */
    public static final long NO_SAMPLE = -1;

    private final long batchIndex;
    private final long sampleIndex;

    /**
     * Creates an exception.
     *
     * @param message the message, naming the batch and the sample
     * @param batchIndex the batch's position in the epoch, in sampler order
     * @param sampleIndex the index of the failed sample in the data set, or {@link #NO_SAMPLE}
     * @param cause the original failure, or {@code null}
     */
    public DataLoadingException(
            String message, long batchIndex, long sampleIndex, Throwable cause) {
        super(message, cause);
        this.batchIndex = batchIndex;
        this.sampleIndex = sampleIndex;
    }

    /** Returns the batch's position in the epoch, in sampler order. */
    public long batchIndex() {
        return batchIndex;
    }

    /** Returns the index of the failed sample in the data set, or {@link #NO_SAMPLE}. */
    public long sampleIndex() {
        return sampleIndex;
    }

    /**
     * Returns a copy of this exception thrown from the current thread, so the consumer's stack
     * shows where it asked for the batch; the cause stays the worker's original failure.
     *
     * @return an exception of the same kind, message, indices and cause
     */
    public DataLoadingException rethrownHere() {
        return new DataLoadingException(getMessage(), batchIndex, sampleIndex, getCause());
    }
}
