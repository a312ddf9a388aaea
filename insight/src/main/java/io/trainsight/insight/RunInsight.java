package io.trainsight.insight;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The step-vs-GPU insight of one run, as one {@link StepListener}: it samples the GPUs (or the
 * host) while the run trains; on its own thread it joins every step with the samples taken during
 * it, writes {@code steps.jsonl} (one line per step, flushed whenever the thread has caught up with
 * the training thread; every step a checkpoint covers is written before the checkpoint) and
 * diagnoses live (a finding is logged once, at WARN or INFO); when the run ends, also with an
 * error, it writes {@code summary.json} and {@code report.html} into the run directory, atomically.
 *
 * <p>trainsight's {@code TrainingLoop} wires it with one builder switch, {@code
 * optRunDirectory(dir)}; DJL's {@code EasyTrain} through {@code InsightTrainingListener}; any other
 * loop calls {@link #onTrainingBegin}, {@link #onStep} and {@link #finish} itself:
 *
 * <pre>{@code
 * try (RunInsight insight = RunInsight.builder().setRunDirectory(dir).build()) {
 *     insight.onTrainingBegin(RunStart.at(System.nanoTime()));
 *     for (...) { insight.onStep(record); }          // one StepRecord per optimizer step
 *     insight.finish(StopReason.BUDGET);             // summary.json and report.html
 * }
 * }</pre>
 *
 * <p>The run's plan (its length, devices, settings, name) comes from the loop's {@link RunStart};
 * builder settings override it. Without a monitor ({@code optMonitoring(false)}) only the steps'
 * timing is diagnosed. Without a GPU, the host stands in for one and every output says so.
 */
public final class RunInsight implements StepListener, AutoCloseable {

    private final RunWatch watch;

    private RunInsight(InsightSettings settings) {
        this.watch = new RunWatch(settings);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the run directory, the directory the files go to. */
    public Path runDirectory() {
        return watch.settings().runDirectory();
    }

    /**
     * Returns where the samples come from once the run began: {@link RunReport#GPU}, {@link
     * RunReport#HOST} or {@link RunReport#NONE}; null before the run begins.
     */
    public String source() {
        return watch.source();
    }

    /**
     * Returns the devices' ids, in the order of each step's {@code devices}, once the run began;
     * empty without a monitor or before the run begins.
     */
    public List<String> deviceIds() {
        return watch.deviceIds();
    }

    /**
     * Starts watching: starts the monitor (its own, or the given one if it is idle), opens the step
     * log (continuing it after {@link RunStart#firstStep()} for a resumed run) and the diagnosis.
     *
     * @param start the run's origin and plan
     * @throws IllegalStateException if the run already began
     * @throws UncheckedIOException if the step log cannot be opened
     */
    @Override
    public void onTrainingBegin(RunStart start) {
        watch.begin(start);
    }

    @Override
    public void onStep(StepRecord record) {
        watch.step(record);
    }

    @Override
    public void beforeCheckpoint(long step) {
        watch.drain();
    }

    @Override
    public void onCheckpoint(long step, long nanos) {
        watch.checkpoint(nanos);
    }

    @Override
    public void onTrainingFailure(Throwable error) {
        watch.recordFailure(error);
    }

    /**
     * Records that the run failed, before {@link #finish}, for loops other than trainsight's.
     *
     * @param error what ended the run
     */
    public void recordFailure(Throwable error) {
        onTrainingFailure(error);
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        finish(result.stopReason());
    }

    /**
     * Ends the run: writes summary.json and report.html, closes the step log and stops the
     * insight's own monitor. Later calls do nothing.
     *
     * @param reason why the run ended
     */
    public void finish(StopReason reason) {
        watch.finish(reason);
    }

    /**
     * Ends the run if it has not ended (as {@link StopReason#INCOMPLETE}, or {@link
     * StopReason#FAILED} after {@link #recordFailure}) and releases what the insight holds.
     */
    @Override
    public void close() {
        watch.close();
    }

    /** Returns the final report once the run ended; null before the end. */
    public RunReport report() {
        return watch.finalReport();
    }

    /**
     * Returns why summary.json or report.html could not be written; null when both were written (or
     * the run has not ended).
     */
    public IOException writeError() {
        return watch.writeError();
    }

    /** Returns the findings so far, most severe first: the final ones, else those raised live. */
    public List<Finding> findings() {
        return watch.findings();
    }

    /** Prints the console table of the final report (or of the steps so far) to {@code out}. */
    public void printTable(PrintWriter out) {
        watch.printTable(out);
    }

    /**
     * Returns the steps after {@code since} with the findings and key figures so far, for {@code
     * /steps?since=N}.
     *
     * @param since the last step the client has; 0 for every step kept
     * @return a JSON object: {@code steps}, {@code next}, {@code dropped}, {@code findings}, {@code
     *     figures}, {@code subtitle}, {@code source}, and {@code series}: the charts' data as
     *     report.html embeds it
     */
    public String liveJson(long since) {
        return watch.liveJson(since);
    }

    /** Returns the live dashboard's page (HTML), which polls {@code steps} next to it. */
    public String dashboardHtml() {
        return watch.dashboardHtml();
    }

    /** Configures a {@link RunInsight}; {@link #build()} copies the settings out. */
    public static final class Builder {

        private final SettingsDraft draft = new SettingsDraft();

        private Builder() {}

        /**
         * Sets the run directory (required); created by {@link #build()} when missing.
         *
         * @param runDirectory the directory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            draft.runDirectory = runDirectory;
            return this;
        }

        /**
         * Samples with a monitor of your own, never closed by the insight; without one, the insight
         * makes, starts and closes its own. A monitor that is not running when the run begins is
         * started then, unless it already holds samples (a monitor driven by hand with {@code
         * sampleNow()}).
         *
         * @param monitor the monitor
         * @return this builder
         */
        public Builder optMonitor(GpuMonitor monitor) {
            draft.monitor = monitor;
            return this;
        }

        /**
         * Turns sampling off (true by default): the steps' timing alone is diagnosed.
         *
         * @param monitoring whether to sample the GPUs or the host
         * @return this builder
         */
        public Builder optMonitoring(boolean monitoring) {
            draft.monitoring = monitoring;
            return this;
        }

        /**
         * Sets the sampling interval of the insight's own monitor (default 50 ms).
         *
         * @param interval from 10 ms to 10 s
         * @return this builder
         */
        public Builder optSampleInterval(Duration interval) {
            draft.sampleInterval = interval;
            return this;
        }

        /**
         * Sets the devices the run trains on, so that it is diagnosed on them: the host for the
         * CPU, whatever GPUs the machine has; for CUDA devices the NVML GPUs they are (matched by
         * PCI bus id and UUID through the CUDA driver, as {@code CUDA_VISIBLE_DEVICES} and {@code
         * CUDA_DEVICE_ORDER} make them). Other GPUs are listed in the report as context and never
         * diagnosed. Without it the devices of the loop's {@link RunStart} are used; when the loop
         * names none either, every GPU is diagnosed.
         *
         * @param devices the run's devices, such as {@code trainer.getDevices()}
         * @return this builder
         */
        public Builder optTrainingDevices(Device... devices) {
            draft.trainingDevices = List.of(devices);
            return this;
        }

        /**
         * Sets the memory ceiling of the host when there is no GPU (a simulated device capacity);
         * without it, the cgroup limit, else the machine's memory.
         *
         * @param memoryLimit the ceiling
         * @return this builder
         */
        public Builder optMemoryLimit(MemoryLimit memoryLimit) {
            draft.memoryLimit = memoryLimit;
            return this;
        }

        /**
         * Sets the diagnosis thresholds.
         *
         * @param thresholds the thresholds (default {@link DiagnosisThresholds#defaults()})
         * @return this builder
         */
        public Builder optThresholds(DiagnosisThresholds thresholds) {
            draft.thresholds = thresholds;
            return this;
        }

        /**
         * Sets the run's last step, for the OOM trend's horizon, where the loop does not say it.
         *
         * @param plannedSteps the step the run ends at; -1 to take the loop's
         * @return this builder
         */
        public Builder optPlannedSteps(long plannedSteps) {
            draft.plannedSteps = plannedSteps;
            return this;
        }

        /**
         * Sets the run's name in the reports (default: the loop's, such as the model's name).
         *
         * @param runName the name
         * @return this builder
         */
        public Builder optRunName(String runName) {
            draft.runName = runName;
            return this;
        }

        /**
         * Adds settings to those the loop reports, written to summary.json.
         *
         * @param configuration the settings by name
         * @return this builder
         */
        public Builder optConfiguration(Map<String, Object> configuration) {
            draft.configuration = SettingsDraft.frozen(configuration);
            return this;
        }

        /**
         * Adds facts about the environment to those the loop and the monitor report.
         *
         * @param environment the facts by name
         * @return this builder
         */
        public Builder optEnvironment(Map<String, Object> environment) {
            draft.environment = SettingsDraft.frozen(environment);
            return this;
        }

        /**
         * Turns the step log off (on by default): no {@code steps.jsonl}, only the reports.
         *
         * @param stepLog whether to write {@code steps.jsonl}
         * @return this builder
         */
        public Builder optStepLog(boolean stepLog) {
            draft.stepLog = stepLog;
            return this;
        }

        /**
         * Sets how many recent steps {@link #liveJson} can return (default 2048).
         *
         * @param steps the steps kept for the live view
         * @return this builder
         */
        public Builder optLiveSteps(int steps) {
            draft.liveSteps = steps;
            return this;
        }

        /**
         * Sets the vocabulary of the findings' advice (default {@link Advice#TRAINING_LOOP}:
         * builder methods).
         *
         * @param advice {@link Advice#CLI}, {@link Advice#TRAINING_LOOP} or {@link Advice#DJL}
         * @return this builder
         */
        public Builder optAdvice(Advice advice) {
            draft.advice = advice;
            return this;
        }

        /**
         * Counts the live NDArrays of one more manager and its children after every step, for the
         * ndarray-leak finding and the live-arrays chart. The model's manager comes from the loop
         * ({@link RunStart#modelManager()}); add others your training code keeps arrays in.
         *
         * @param manager the manager
         * @param label how reports name it, such as {@code metrics store}
         * @return this builder
         */
        public Builder addArrayManager(NDManager manager, String label) {
            draft.addArrayManager(manager, label);
            return this;
        }

        /**
         * Adds a listener told once when a live finding is raised (on the training thread).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addFindingListener(Consumer<Finding> listener) {
            draft.findingListeners.add(listener);
            return this;
        }

        /**
         * Checks the settings, creates the run directory when missing, and builds the insight.
         *
         * @return the insight; nothing runs until the run begins
         * @throws IllegalArgumentException naming a wrong setting
         */
        public RunInsight build() {
            return new RunInsight(draft.settings());
        }
    }
}
