package io.trainsight.insight.djl;

import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.correlate.MemoryLimit;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.jvm.EngineThreads;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.timeline.StepRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * trainsight's monitor, step log and report for plain DJL training ({@code EasyTrain.fit} or a loop
 * of your own), added as one {@link ai.djl.training.listener.TrainingListener}:
 *
 * <pre>{@code
 * DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *         .addTrainingListeners(TrainingListener.Defaults.logging())
 *         .addTrainingListeners(InsightTrainingListener.builder().setRunDirectory(dir).build());
 * try (Trainer trainer = model.newTrainer(config)) {
 *     trainer.initialize(new Shape(64, 784));
 *     EasyTrain.fit(trainer, 5, trainSet, validateSet);
 * }   // closing the trainer writes summary.json and report.html
 * }</pre>
 *
 * <p>It starts a {@link GpuMonitor} when training begins (or uses one given to it), writes {@code
 * steps.jsonl} (each line with its samples) as the batches go, diagnoses live, and writes {@code
 * summary.json} and {@code report.html} when the trainer closes. What DJL exposes decides what a
 * step holds: a step is the time from one {@code onTrainingBatch} to the next (data loading,
 * forward, backward, and the previous batch's parameter update); forward, backward and update times
 * come from the trainer's {@link Metrics} (the listener installs a bounded one when the trainer has
 * none); the data wait is what is left of the step, an estimate; the loss is the trainer's loss
 * evaluated on the batch's predictions (one more small computation per batch). The time between
 * epochs (validation) is not counted as a step.
 */
public final class InsightTrainingListener extends TrainingListenerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(InsightTrainingListener.class);
    private static final int METRICS_LIMIT = 1000;

    private final Builder config;
    private GpuMonitor monitor;
    private boolean ownMonitor;
    private StepLogWriter stepLog;
    private RunInsight insight;
    private long origin;
    private long last;
    private long step;
    private int epoch = 1;
    private final Object[] seen = new Object[4];

    private InsightTrainingListener(Builder config) {
        this.config = config;
    }

    /**
     * Returns a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the run's insight once training began, e.g. to print its table at the end.
     *
     * @return the insight, or null before training begins
     */
    public RunInsight insight() {
        return insight;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (trainer.getMetrics() == null) {
            Metrics metrics = new Metrics();
            metrics.setLimit(METRICS_LIMIT);
            trainer.setMetrics(metrics);
        }
        try {
            Files.createDirectories(config.runDirectory);
            monitor = config.monitor;
            if (monitor == null) {
                monitor = GpuMonitor.builder().optInterval(config.interval).build();
                ownMonitor = true;
            }
            monitor.start();
            stepLog = new StepLogWriter(config.runDirectory.resolve(StepLogWriter.FILE_NAME));
            RunInsight.Builder builder =
                    RunInsight.builder()
                            .setRunDirectory(config.runDirectory)
                            .optMonitor(monitor)
                            .optThresholds(config.thresholds)
                            .optPlannedSteps(config.plannedSteps)
                            .optRunName(config.runName)
                            .optEnvironment(
                                    Map.of(
                                            "engine",
                                            trainer.getManager().getEngine().getEngineName()
                                                    + " "
                                                    + trainer.getManager().getEngine().getVersion(),
                                            "device",
                                            trainer.getDevices()[0].toString(),
                                            "trainer",
                                            "DJL Trainer with InsightTrainingListener"));
            if (config.memoryLimit != null) {
                builder.optMemoryLimit(config.memoryLimit);
            }
            builder.addArrayManager(
                            trainer.getModel().getNDManager(),
                            "model '" + trainer.getModel().getName() + "'")
                    .optCpuThreads(EngineThreads.of(trainer.getManager().getEngine()), 0);
            config.findingListeners.forEach(builder::addFindingListener);
            insight = builder.build();
            stepLog.addColumns(insight.columns());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot open the run directory " + config.runDirectory, e);
        }
        origin = System.nanoTime();
        last = origin;
        stepLog.onTrainingBegin(origin);
        insight.onTrainingBegin(origin);
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long now = System.nanoTime();
        Metrics metrics = trainer.getMetrics();
        long forward = fresh(metrics, "forward", 0);
        long backward = fresh(metrics, "backward", 1);
        long update = fresh(metrics, "step", 2);
        long other = fresh(metrics, "training-metrics", 3);
        long window = now - last;
        long wait = Math.max(0, window - forward - backward - update - other);
        StepRecord record =
                new StepRecord(
                        ++step,
                        epoch,
                        last,
                        now,
                        wait,
                        forward,
                        backward,
                        update,
                        loss(trainer.getLoss(), batchData),
                        (int) batchData.getBatch().getSize(),
                        1,
                        1f,
                        Float.NaN,
                        false);
        stepLog.onStep(record);
        insight.onStep(record);
        last = System.nanoTime();
    }

    /** A metric's latest value in nanoseconds if it was recorded since the last batch, else 0. */
    private long fresh(Metrics metrics, String name, int slot) {
        if (metrics == null || !metrics.hasMetric(name)) {
            return 0;
        }
        Metric latest = metrics.latestMetric(name);
        if (latest == seen[slot]) {
            return 0;
        }
        seen[slot] = latest;
        return latest.getValue().longValue();
    }

    private static float loss(Loss loss, BatchData batchData) {
        double sum = 0;
        int count = 0;
        for (var entry : batchData.getPredictions().entrySet()) {
            NDList labels = batchData.getLabels().get(entry.getKey());
            if (labels == null) {
                continue;
            }
            try (NDArray value = loss.evaluate(labels, entry.getValue())) {
                sum += value.getFloat();
                count++;
            }
        }
        return count == 0 ? Float.NaN : (float) (sum / count);
    }

    @Override
    public void onEpoch(Trainer trainer) {
        epoch++;
        last = System.nanoTime();
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (insight == null) {
            return;
        }
        try {
            insight.finish("ENDED");
            stepLog.close();
        } catch (IOException e) {
            logger.warn("Cannot close the step log in {}: {}", config.runDirectory, e.getMessage());
        } finally {
            if (ownMonitor) {
                monitor.close();
            }
        }
    }

    /** Configures an {@link InsightTrainingListener}. */
    public static final class Builder {

        private Path runDirectory;
        private GpuMonitor monitor;
        private Duration interval = GpuMonitor.DEFAULT_INTERVAL;
        private MemoryLimit memoryLimit;
        private DiagnosisThresholds thresholds = DiagnosisThresholds.defaults();
        private long plannedSteps = -1;
        private String runName = "djl";
        private final List<Consumer<Finding>> findingListeners = new ArrayList<>();

        private Builder() {}

        /**
         * Sets the run directory (required); created when training begins.
         *
         * @param runDirectory the directory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /**
         * Uses a monitor of your own (started here if it is not); without one, the listener makes
         * and closes its own.
         *
         * @param monitor the monitor
         * @return this builder
         */
        public Builder optMonitor(GpuMonitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /**
         * Sets the sampling interval of the listener's own monitor (default 50 ms).
         *
         * @param interval from 10 ms to 10 s
         * @return this builder
         */
        public Builder optSampleInterval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /**
         * Sets the memory ceiling of the host when there is no GPU.
         *
         * @param memoryLimit the ceiling
         * @return this builder
         */
        public Builder optMemoryLimit(MemoryLimit memoryLimit) {
            this.memoryLimit = memoryLimit;
            return this;
        }

        /**
         * Sets the diagnosis thresholds.
         *
         * @param thresholds the thresholds
         * @return this builder
         */
        public Builder optThresholds(DiagnosisThresholds thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        /**
         * Sets the number of batches the training will run, for the OOM trend's horizon.
         *
         * @param steps epochs × batches per epoch; -1 when unknown
         * @return this builder
         */
        public Builder optPlannedSteps(long steps) {
            this.plannedSteps = steps;
            return this;
        }

        /**
         * Sets the run's name in the reports.
         *
         * @param runName the name
         * @return this builder
         */
        public Builder optRunName(String runName) {
            this.runName = runName;
            return this;
        }

        /**
         * Adds a listener told once when a live finding is raised.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addFindingListener(Consumer<Finding> listener) {
            findingListeners.add(listener);
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the listener
         * @throws IllegalArgumentException naming a wrong setting
         */
        public InsightTrainingListener build() {
            if (runDirectory == null) {
                throw new IllegalArgumentException(
                        "runDirectory is required: call setRunDirectory");
            }
            if (interval == null
                    || interval.compareTo(GpuMonitor.MIN_INTERVAL) < 0
                    || interval.compareTo(GpuMonitor.MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException(
                        "sampleInterval must be from 10 ms to 10 s, got " + interval);
            }
            if (thresholds == null) {
                throw new IllegalArgumentException("thresholds must not be null");
            }
            return new InsightTrainingListener(this);
        }
    }
}
