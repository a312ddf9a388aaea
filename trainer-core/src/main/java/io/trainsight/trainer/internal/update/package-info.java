/**
 * The fused parameter update: a TorchScript module of multi-tensor operations and the optimizers'
 * state read from DJL's optimizers. Not API: may change in any release.
 */
package io.trainsight.trainer.internal.update;
