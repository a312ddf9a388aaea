package io.trainsight.gpu.internal.cuda;

/** A CUDA driver call that failed, or a driver that could not be loaded, in one sentence. */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and the driver's own words
     */
    public CudaException(String message) {
        super(message);
    }
}
