/**
 * Files written so that nothing is lost: atomic replacement of reports and JSON errors stated in
 * one line. Not API: may change in any release.
 */
package io.trainsight.insight.internal.storage;
