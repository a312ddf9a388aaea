/**
 * The native allocator's settings for long runs (glibc keeps freed memory for reuse instead of
 * returning it per step). Not API: may change in any release.
 */
package io.trainsight.trainer.internal.memory;
