package io.trainsight.data.internal.loader;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;

/**
 * Starts the batches of a random-access data set as an {@link EpochPlan} lays them out, gathered in
 * one go when the data set can ({@link Gather}), else sample by sample.
 */
final class PlannedMaker implements BatchMaker {

    private final EpochPlan plan;
    private final RandomAccessDataset dataset;
    private final NDManager root;
    private final Collation collation;
    private final Gather gather;

    PlannedMaker(EpochPlan plan, RandomAccessDataset dataset, NDManager root, Collation collation) {
        this.plan = plan;
        this.dataset = dataset;
        this.root = root;
        this.collation = collation;
        this.gather = Gather.of(dataset, collation);
    }

    @Override
    public BatchJob job(long index, int parts) {
        return new PlannedJob(
                dataset,
                gather,
                root,
                collation,
                index,
                plan.samples(index),
                parts,
                plan.progressAfter(index),
                plan.sampleCount());
    }
}
