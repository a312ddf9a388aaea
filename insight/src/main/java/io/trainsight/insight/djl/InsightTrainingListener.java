package io.trainsight.insight.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.RunInsight;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import io.trainsight.insight.internal.jvm.EngineThreadCount;
import io.trainsight.insight.timeline.PhaseTiming;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * none), on the CPU only: on a GPU DJL times kernel launches, not the device's work, so the steps
 * record no split there ({@link PhaseTiming#NONE}); the data wait is what is left of the step, an
 * estimate; the loss is the trainer's loss evaluated on the batch's predictions (one more small
 * computation per batch). The time between epochs (validation) is not counted as a step.
 */
public final class InsightTrainingListener extends TrainingListenerAdapter {

    private static final int METRICS_LIMIT = 1000;

    private final RunInsight insight;
    private long last;
    private long step;
    private int epoch = 1;
    private PhaseTiming phaseTiming = PhaseTiming.HOST;
    private boolean midEpoch;
    private boolean failed;
    private final Object[] seen = new Object[4];

    private InsightTrainingListener(RunInsight insight) {
        this.insight = insight;
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
     * Returns the run's insight, e.g. to print its table at the end.
     *
     * @return the insight
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
        phaseTiming = PhaseTiming.HOST;
        for (Device device : trainer.getDevices()) {
            if (device.isGpu()) {
                phaseTiming = PhaseTiming.NONE; // DJL's metrics time kernel launches on a GPU
            }
        }
        Engine engine = trainer.getManager().getEngine();
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("engine", engine.getEngineName() + " " + engine.getVersion());
        environment.put("device", trainer.getDevices()[0].toString());
        environment.put("trainer", "DJL Trainer with InsightTrainingListener");
        int threads = EngineThreadCount.of(engine);
        if (threads > 0) {
            environment.put("engine_threads", threads);
        }
        long origin = System.nanoTime();
        last = origin;
        insight.onTrainingBegin(
                new RunStart(
                        origin,
                        0,
                        -1,
                        trainer.getModel().getName(),
                        List.of(trainer.getDevices()),
                        Map.of(),
                        environment,
                        trainer.getModel().getNDManager()));
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long now = System.nanoTime();
        Metrics metrics = trainer.getMetrics();
        long forward = fresh(metrics, "forward", 0);
        long backward = fresh(metrics, "backward", 1);
        long update = fresh(metrics, "step", 2);
        long other = fresh(metrics, "training-metrics", 3);
        boolean onDevice = phaseTiming == PhaseTiming.NONE;
        // On a GPU the loss read waits for the device: its work then falls inside the step, and
        // the wait for it is not counted as data wait.
        float loss = onDevice ? loss(trainer.getLoss(), batchData) : Float.NaN;
        long end = onDevice ? System.nanoTime() : now;
        long window = end - last;
        long wait = Math.max(0, window - forward - backward - update - other - (end - now));
        if (onDevice) {
            forward = 0;
            backward = 0;
            update = 0;
        } else {
            loss = loss(trainer.getLoss(), batchData);
        }
        StepRecord record =
                new StepRecord(
                        ++step,
                        epoch,
                        last,
                        end,
                        wait,
                        forward,
                        backward,
                        update,
                        loss,
                        (int) batchData.getBatch().getSize(),
                        1,
                        1f,
                        Float.NaN,
                        false,
                        phaseTiming);
        insight.onStep(record);
        midEpoch = true;
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
        midEpoch = false;
        last = System.nanoTime();
    }

    /**
     * Records the error that ended training, for the reports (DJL does not tell its listeners):
     * call it from the {@code catch} around {@code EasyTrain.fit}, before the trainer closes.
     *
     * @param error what ended the run
     */
    public void recordFailure(Throwable error) {
        failed = true;
        insight.recordFailure(error);
    }

    /**
     * Writes summary.json and report.html. DJL calls this when the trainer closes; a trainer that
     * closes in the middle of an epoch ends the run as {@link StopReason#INCOMPLETE} (an error or a
     * loop that broke off: DJL does not say which), or {@link StopReason#FAILED} after {@link
     * #recordFailure}.
     */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        StopReason reason;
        if (failed) {
            reason = StopReason.FAILED;
        } else if (midEpoch) {
            reason = StopReason.INCOMPLETE;
        } else {
            reason = StopReason.ENDED;
        }
        insight.finish(reason);
    }

    /** Configures an {@link InsightTrainingListener}: the settings of its {@link RunInsight}. */
    public static final class Builder {

        private final RunInsight.Builder insight = RunInsight.builder().optAdvice(Advice.DJL);

        private Builder() {}

        /**
         * Sets the run directory (required); created when missing.
         *
         * @param runDirectory the directory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            insight.setRunDirectory(runDirectory);
            return this;
        }

        /**
         * Uses a monitor of your own (started when training begins if it is not); without one, the
         * listener makes and closes its own.
         *
         * @param monitor the monitor
         * @return this builder
         */
        public Builder optMonitor(GpuMonitor monitor) {
            insight.optMonitor(monitor);
            return this;
        }

        /**
         * Sets the sampling interval of the listener's own monitor (default 50 ms).
         *
         * @param interval from 10 ms to 10 s
         * @return this builder
         */
        public Builder optSampleInterval(Duration interval) {
            insight.optSampleInterval(interval);
            return this;
        }

        /**
         * Sets the memory ceiling of the host when there is no GPU.
         *
         * @param memoryLimit the ceiling
         * @return this builder
         */
        public Builder optMemoryLimit(MemoryLimit memoryLimit) {
            insight.optMemoryLimit(memoryLimit);
            return this;
        }

        /**
         * Sets the diagnosis thresholds.
         *
         * @param thresholds the thresholds
         * @return this builder
         */
        public Builder optThresholds(DiagnosisThresholds thresholds) {
            insight.optThresholds(thresholds);
            return this;
        }

        /**
         * Sets the number of batches the training will run, for the OOM trend's horizon.
         *
         * @param steps epochs × batches per epoch; -1 when unknown
         * @return this builder
         */
        public Builder optPlannedSteps(long steps) {
            insight.optPlannedSteps(steps);
            return this;
        }

        /**
         * Sets the run's name in the reports (default: the model's name).
         *
         * @param runName the name
         * @return this builder
         */
        public Builder optRunName(String runName) {
            insight.optRunName(runName);
            return this;
        }

        /**
         * Adds settings to report in summary.json, such as the batch size and learning rate.
         *
         * @param configuration the settings by name
         * @return this builder
         */
        public Builder optConfiguration(Map<String, Object> configuration) {
            insight.optConfiguration(configuration);
            return this;
        }

        /**
         * Adds a listener told once when a live finding is raised.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addFindingListener(Consumer<Finding> listener) {
            insight.addFindingListener(listener);
            return this;
        }

        /**
         * Checks the settings and creates the run directory when missing.
         *
         * @return the listener
         * @throws IllegalArgumentException naming a wrong setting
         */
        public InsightTrainingListener build() {
            return new InsightTrainingListener(insight.build());
        }
    }
}
