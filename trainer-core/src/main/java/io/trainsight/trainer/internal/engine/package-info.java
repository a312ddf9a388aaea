/**
 * The engine's device synchronization (for device time on a GPU) and the recognition of its out-
 * of-memory errors. Not API: may change in any release.
 */
package io.trainsight.trainer.internal.engine;
