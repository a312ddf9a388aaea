/**
 * The glibc allocator binding through JNA (mallopt), for the native memory settings. Not API: may
 * change in any release.
 */
package io.trainsight.trainer.internal.glibc;
