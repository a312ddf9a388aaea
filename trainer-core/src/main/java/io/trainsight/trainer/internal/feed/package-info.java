/**
 * Where the loop's batches come from: a DJL data set or a trainsight {@code DataLoader}, with the
 * time the loop waited for each. Not API: may change in any release.
 */
package io.trainsight.trainer.internal.feed;
