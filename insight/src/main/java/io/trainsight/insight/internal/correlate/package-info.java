/**
 * The join of every step with the samples taken while it ran: a channel per watched device (a GPU
 * or the host), windows over the sample ring, the host's load, and the memory ceiling of a run
 * without a GPU. Not API: may change in any release.
 */
package io.trainsight.insight.internal.correlate;
