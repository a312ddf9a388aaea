/**
 * One optimizer step: micro-batches, gradient operations, the FP32 update and the phase clock that
 * times forward, backward and optimizer. Not API: may change in any release.
 */
package io.trainsight.trainer.internal.step;
