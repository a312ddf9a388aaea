/**
 * The data loader: {@link io.trainsight.data.DataLoader} builds batches of a DJL data set on worker
 * threads ahead of the trainer and hands each over as a {@link io.trainsight.data.LoadedBatch} with
 * its {@link io.trainsight.data.BatchTiming}; {@link io.trainsight.data.EpochIterator} is one epoch
 * of them.
 */
package io.trainsight.data;
