package io.trainsight.insight.timeline;

/** Why a training run ended. */
public enum StopReason {
    /** The step or epoch budget was reached. */
    BUDGET,
    /** Early stopping saw no improvement for its patience. */
    EARLY_STOPPING,
    /** The engine ran out of memory. */
    OUT_OF_MEMORY,
    /** Another error ended the run. */
    FAILED
}
