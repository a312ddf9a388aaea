package io.trainsight.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Pipeline;
import io.trainsight.data.internal.DatasetSampling;
import io.trainsight.data.internal.loader.Collation;
import io.trainsight.data.internal.loader.LoaderConfig;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The options of a {@link DataLoader.Builder} as its setters left them, unchecked. {@link #check()}
 * validates them, naming the first one that is missing or invalid, and copies them into a {@link
 * LoaderConfig} with their defaults filled in.
 */
final class LoaderDraft {

    Dataset dataset;
    Integer batchSize;
    int numWorkers;
    Integer prefetchFactor;
    Boolean shuffle;
    Long seed;
    Boolean dropLast;
    Duration timeout;
    boolean inOrder = true;
    Batchifier dataBatchifier;
    Batchifier labelBatchifier;
    Pipeline pipeline;
    Pipeline targetPipeline;
    Device device;
    NDManager manager;
    LongSupplier ticker = System::nanoTime;

    /**
     * Validates the options and copies them; a loader that owns its manager gets a new base one.
     *
     * @throws IllegalArgumentException naming the first option that is missing or invalid
     */
    LoaderConfig check() {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must be set (setDataset)");
        }
        boolean randomAccess = dataset instanceof RandomAccessDataset;
        Integer size = batchSize;
        if (randomAccess) {
            size = DatasetSampling.batchSize((RandomAccessDataset) dataset, batchSize);
            if (size == null || size < 1) {
                throw new IllegalArgumentException(
                        "batchSize must be set to a positive number for a random-access data"
                                + " set (setBatchSize, or the data set's setSampling), got "
                                + size);
            }
        }
        if (!randomAccess) {
            refuseForStream();
        }
        if (numWorkers < 0) {
            throw new IllegalArgumentException(
                    "numWorkers must be 0 (load on the consumer's thread) or more, got "
                            + numWorkers);
        }
        if (prefetchFactor != null && (prefetchFactor < 1 || numWorkers == 0)) {
            throw new IllegalArgumentException(
                    "prefetchFactor must be a positive number, and only with numWorkers ≥ 1"
                            + " (with 0 workers nothing is loaded ahead); got "
                            + prefetchFactor
                            + " with numWorkers "
                            + numWorkers);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero() || numWorkers == 0)) {
            throw new IllegalArgumentException(
                    "timeout must be a positive duration, and only with numWorkers ≥ 1 (the"
                            + " consumer's own thread cannot time itself out); got "
                            + timeout
                            + " with numWorkers "
                            + numWorkers);
        }
        if (ticker == null) {
            throw new IllegalArgumentException("ticker must not be null");
        }
        if (manager != null && !manager.isOpen()) {
            throw new IllegalArgumentException("manager must be open, got a closed one");
        }
        Collation collation =
                new Collation(
                        dataBatchifier == null ? Batchifier.STACK : dataBatchifier,
                        labelBatchifier == null ? Batchifier.STACK : labelBatchifier,
                        pipeline,
                        targetPipeline,
                        device);
        return new LoaderConfig(
                dataset,
                manager == null ? NDManager.newBaseManager() : manager,
                randomAccess ? size : 0,
                numWorkers,
                prefetchFactor == null ? 2 : prefetchFactor,
                Boolean.TRUE.equals(shuffle),
                seed == null ? 0 : seed,
                Boolean.TRUE.equals(dropLast),
                timeout == null ? 0 : timeout.toNanos(),
                inOrder,
                collation,
                ticker);
    }

    private void refuseForStream() {
        String option =
                batchSize != null
                        ? "batchSize"
                        : shuffle != null
                                ? "shuffle"
                                : dropLast != null
                                        ? "dropLast"
                                        : dataBatchifier != null || labelBatchifier != null
                                                ? "a batchifier"
                                                : pipeline != null || targetPipeline != null
                                                        ? "a pipeline"
                                                        : null;
        if (option != null) {
            throw new IllegalArgumentException(
                    option
                            + " applies to a RandomAccessDataset only; "
                            + dataset.getClass().getSimpleName()
                            + " makes its own batches, so set it on the data set instead");
        }
    }
}
