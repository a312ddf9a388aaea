/**
 * The JVM and host signals joined with each step: GC pauses from the collectors' notifications, the
 * census of live NDArrays and where they were created, and the engine's threads. Not API: may
 * change in any release.
 */
package io.trainsight.insight.internal.jvm;
