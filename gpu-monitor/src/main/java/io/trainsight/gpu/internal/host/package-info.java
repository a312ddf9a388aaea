/**
 * The host probe for machines without a GPU: this process's CPU and resident memory, the machine's
 * load, from {@code /proc}. Not API: may change in any release.
 */
package io.trainsight.gpu.internal.host;
