/**
 * Mixed precision's machinery: FP16 inputs and the FP32 master weights the optimizer updates. Not
 * API: may change in any release.
 */
package io.trainsight.trainer.internal.amp;
