package io.trainsight.insight.timeline;

/** Why a training run ended; summary.json's {@code run.stop_reason}. */
public enum StopReason {
    /** The step or epoch budget was reached. */
    BUDGET,
    /** Early stopping saw no improvement for its patience. */
    EARLY_STOPPING,
    /** The engine ran out of memory. */
    OUT_OF_MEMORY,
    /** Another error ended the run. */
    FAILED,
    /**
     * A loop other than trainsight's ended the run without saying why (such as DJL's {@code
     * EasyTrain} after its last epoch).
     */
    ENDED,
    /**
     * A loop other than trainsight's stopped in the middle of an epoch without reporting an error:
     * either it broke off on purpose or an error it did not report ended it.
     */
    INCOMPLETE
}
