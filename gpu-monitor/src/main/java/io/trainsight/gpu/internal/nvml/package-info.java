/**
 * The NVML binding through JNA: the library and its structs, the probe that samples every GPU,
 * per-process figures and error codes. Not API: may change in any release.
 */
package io.trainsight.gpu.internal.nvml;
