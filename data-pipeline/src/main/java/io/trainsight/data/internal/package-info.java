/**
 * The data pipeline's implementation: what the loader reads from DJL data sets (their sampling)
 * and, in {@code loader}, its machinery. Not API: may change in any release.
 */
package io.trainsight.data.internal;
