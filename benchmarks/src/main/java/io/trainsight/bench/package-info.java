/**
 * Benchmark harnesses, one main class each, run with {@code benchmarks/run CLASS}. A harness
 * alternates the contenders in blocks inside one process, repeats, and prints the median of the
 * ratios against a baseline measured in the same run: these machines are too noisy for absolute
 * numbers to mean much.
 */
package io.trainsight.bench;
