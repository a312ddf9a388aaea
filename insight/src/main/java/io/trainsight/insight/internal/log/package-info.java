/**
 * The insight's fields of a step log line: each step's samples per device, its JVM and host
 * signals. Not API: may change in any release.
 */
package io.trainsight.insight.internal.log;
