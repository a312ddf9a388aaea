/**
 * Benchmarks of the data-pipeline loader against DJL's own prefetching: {@link
 * io.trainsight.bench.data.LoaderBenchmark}.
 */
package io.trainsight.bench.data;
