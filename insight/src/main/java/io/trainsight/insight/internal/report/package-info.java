/**
 * The reports' making: the aggregates collected step by step, summary.json, report.html with its
 * charts, the console table, the verdict, and the replay of a run directory's step log. Not API:
 * may change in any release.
 */
package io.trainsight.insight.internal.report;
