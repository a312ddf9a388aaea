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
 *
 * <p>{@code auto} (the default) builds the batches of the examples' generated data and of CSV files
 * on the training thread: such a batch is gathered in one copy in microseconds, less than handing
 * it over from another thread costs (a thread wake-up, and on a busy machine the wait for that
 * thread to get a core). An IDX batch of images takes longer: its pixels are converted to floats
 * and scaled (about 0.2 ms a step of the cnn on Fashion-MNIST's batches of 64, 5 % of the step), so
 * with a core to spare one worker builds it ahead. Image folders decode every sample, so they get
 * half the cores as workers. Each worker is one core the engine's threads leave free ({@link
 * EngineOptions}).
 */
final class LoaderOptions {

    static final String AUTO = "auto";

    @Option(
            names = "--workers",
            paramLabel = "N|auto",
            defaultValue = AUTO,
            description =
                    "Threads that build batches ahead of the step; 0 builds them on the training"
                            + " thread; auto (default): 0 for generated data and CSV, 1 for IDX"
                            + " files, half the cores for image folders (none on one core).")
    String workersOption;

    @Option(
            names = "--prefetch",
            paramLabel = "P",
            description = "Batches each worker keeps ready (default 2; needs --workers).")
    Integer prefetch;

    private int workers = -1;

    /** Returns the worker threads, once {@link #check} resolved them. */
    int workers() {
        if (workers < 0) {
            throw new IllegalStateException("check the loader options first");
        }
        return workers;
    }

    /**
     * The workers {@code auto} gives.
     *
     * @param cores the cores the process may use
     * @param format the data's format, or null for an example's generated data
     * @return the workers
     */
    static int autoWorkers(int cores, String format) {
        if (cores < 2) {
            return 0;
        }
        if ("images".equals(format)) {
            return Math.max(1, cores / 2);
        }
        return "idx".equals(format) ? 1 : 0;
    }

    /**
     * Checks the values and resolves {@code auto}.
     *
     * @param usage makes the usage error
     * @param format the data's format, or null for an example's generated data
     */
    void check(Function<String, ParameterException> usage, String format) {
        if (AUTO.equalsIgnoreCase(workersOption.strip())) {
            workers = autoWorkers(Runtime.getRuntime().availableProcessors(), format);
        } else {
            try {
                workers = Integer.parseInt(workersOption.strip());
            } catch (NumberFormatException e) {
                workers = -1;
            }
            if (workers < 0 || workers > 256) {
                throw usage.apply(
                        "--workers must be a number between 0 and 256 or auto, got "
                                + workersOption);
            }
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
