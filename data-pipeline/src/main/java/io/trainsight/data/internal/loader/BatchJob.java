package io.trainsight.data.internal.loader;

import ai.djl.training.dataset.Batch;

/**
 * One batch being built. Its samples are split into {@link #parts()} shares that different workers
 * may load at the same time; the worker that loads the last share collates the batch. Either {@link
 * #finish()} or {@link #abandon()} is called once, after every share that was started has ended.
 */
interface BatchJob {

    /** Returns how many shares the batch's samples are split into. */
    int parts();

    /**
     * Loads one share of the samples. Distinct shares may be loaded from distinct threads at once.
     *
     * @param part the share, from 0 to {@code parts() - 1}
     */
    void load(int part);

    /**
     * Collates the loaded samples into the batch, which then owns its manager.
     *
     * @return the batch, or {@code null} if the epoch ended before this batch
     */
    Batch finish();

    /** Frees what was loaded, after a failure or when the epoch is closed. */
    void abandon();
}
