package io.trainsight.data.loader;

import ai.djl.training.dataset.Batch;

/** Builds the batches of a random-access data set as an {@link EpochPlan} lays them out. */
final class PlannedMaker implements BatchMaker {

    private final EpochPlan plan;
    private final BatchAssembler assembler;

    PlannedMaker(EpochPlan plan, BatchAssembler assembler) {
        this.plan = plan;
        this.assembler = assembler;
    }

    @Override
    public Batch make(long index) {
        return assembler.assemble(
                index, plan.samples(index), plan.progressAfter(index), plan.sampleCount());
    }
}
