package io.trainsight.insight.timeline;

/** Why a training run ended. */
public enum StopReason {
    /** The step or epoch budget was reached. */
    BUDGET,
    /** Early stopping saw no improvement for its patience. */
    EARLY_STOPPING,
    /**
     * A stop was requested while the run went on ({@code TrainingLoop.requestStop()}, SIGTERM or
     * Ctrl-C on the command line): the run ended after the step in flight and saved it.
     */
    INTERRUPTED,
    /** The engine ran out of memory. */
    OUT_OF_MEMORY,
    /** Another error ended the run. */
    FAILED
}
