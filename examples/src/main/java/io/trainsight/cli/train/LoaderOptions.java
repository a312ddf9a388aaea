package io.trainsight.cli.train;

import ai.djl.Device;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.trainsight.data.DataLoader;
import java.io.IOException;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code trainsight train} loads its batches: data-pipeline's loader with N worker threads and
 * P batches prefetched per worker. These may change when a run resumes.
 */
final class LoaderOptions {

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Threads that build batches ahead of the step; 0 (default) builds them on the"
                            + " training thread.")
    int workers;

    @Option(
            names = "--prefetch",
            paramLabel = "P",
            description = "Batches each worker keeps ready (default 2; needs --workers).")
    Integer prefetch;

    void check(Function<String, ParameterException> usage) {
        if (workers < 0 || workers > 256) {
            throw usage.apply("--workers must be between 0 and 256, got " + workers);
        }
        if (prefetch != null) {
            if (workers == 0) {
                throw usage.apply("--prefetch needs --workers 1 or more; batches are built inline");
            }
            if (prefetch < 1) {
                throw usage.apply(
                        "--prefetch must be 1 or more batches per worker, got " + prefetch);
            }
        }
    }

    /** Builds the loader of a run's training data; the caller closes it. */
    DataLoader loader(RandomAccessDataset trainingSet, RunConfig config, Device device)
            throws IOException, TranslateException {
        DataLoader.Builder builder =
                DataLoader.builder()
                        .setDataset(trainingSet)
                        .setBatchSize(config.batchSize())
                        .optShuffle(true)
                        .optSeed(config.seed())
                        .optNumWorkers(workers)
                        .optDevice(device);
        if (prefetch != null) {
            builder.optPrefetchFactor(prefetch);
        }
        return builder.build();
    }
}
