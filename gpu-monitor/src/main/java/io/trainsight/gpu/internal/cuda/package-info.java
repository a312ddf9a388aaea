/**
 * The CUDA driver binding through JNA: the devices CUDA shows this process and their mapping to
 * NVML's GPUs by PCI bus id and UUID. Not API: may change in any release.
 */
package io.trainsight.gpu.internal.cuda;
