/**
 * The recent steps kept for the live dashboard and the {@code /steps} endpoint. Not API: may change
 * in any release.
 */
package io.trainsight.insight.internal.live;
