package io.trainsight.insight.timeline;

/**
 * The engine ran out of memory during a step. The run stopped after saving a checkpoint of the last
 * good step (when checkpoints are on) and flushing the step log; the message says which step, the
 * batch size, where the checkpoint is and what to try.
 */
public final class TrainingOutOfMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int batchSize;

    /**
     * Creates the exception.
     *
     * @param message the one-line explanation
     * @param step the step that ran out of memory
     * @param batchSize the size of the micro-batch it was running
     * @param cause the engine's error
     */
    public TrainingOutOfMemoryException(String message, long step, int batchSize, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.batchSize = batchSize;
    }

    /** Returns the step that ran out of memory. */
    public long getStep() {
        return step;
    }

    /** Returns the size of the micro-batch the step was running. */
    public int getBatchSize() {
        return batchSize;
    }
}
