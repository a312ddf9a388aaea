package io.trainsight.insight;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.correlate.MemoryLimit;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.Severity;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.report.ConsoleTable;
import io.trainsight.insight.report.HtmlReport;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.report.RunReportViews;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.StopReason;
import io.trainsight.insight.timeline.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step-vs-GPU insight of one run, as one {@link StepListener}: it samples the GPUs (or the
 * host) while the run trains, joins every step with the samples taken during it, writes {@code
 * steps.jsonl} (one line per step with its samples, flushed per line), diagnoses live (a finding is
 * logged once when it is raised, at WARN, or INFO for an info finding), and when the run ends —
 * also with an error — writes {@code summary.json} and {@code report.html} into the run directory,
 * atomically.
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
 * <p>The run's plan (its length, devices, settings and name) comes from the loop's {@link
 * RunStart}; builder settings override it. Without a monitor ({@code optMonitoring(false)}) only
 * the steps' timing is diagnosed. Without a GPU, the host stands in for one and every output says
 * so.
 */
public final class RunInsight implements StepListener, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(RunInsight.class);

    private final InsightSettings settings;
    private GpuMonitor monitor;
    private boolean ownMonitor;
    private StepLogWriter stepLog;
    private RunSession session;
    private RunReport finalReport;
    private IOException writeError;

    private RunInsight(InsightSettings settings) {
        this.settings = settings;
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the run directory.
     *
     * @return the directory the files go to
     */
    public Path runDirectory() {
        return settings.runDirectory();
    }

    /**
     * Returns where the samples come from, once the run began.
     *
     * @return {@link RunReport#GPU}, {@link RunReport#HOST} or {@link RunReport#NONE}; null before
     *     the run begins
     */
    public synchronized String source() {
        return session == null ? null : session.source();
    }

    /**
     * Returns the devices' ids, in the order of each step's {@code devices}, once the run began.
     *
     * @return the ids; empty without a monitor or before the run begins
     */
    public synchronized List<String> deviceIds() {
        return session == null ? List.of() : session.deviceIds();
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
    public synchronized void onTrainingBegin(RunStart start) {
        if (session != null) {
            throw new IllegalStateException("A RunInsight watches one run; build another one");
        }
        if (settings.monitoring()) {
            monitor = settings.monitor();
            if (monitor == null) {
                monitor = GpuMonitor.builder().optInterval(settings.sampleInterval()).build();
                ownMonitor = true;
            }
            if (!monitor.isRunning() && monitor.ring().count() == 0) {
                monitor.start();
            }
        }
        session = new RunSession(settings, start, monitor, this::raised);
        if (settings.stepLog()) {
            Path file = settings.runDirectory().resolve(StepLogWriter.FILE_NAME);
            try {
                stepLog =
                        start.resumed()
                                ? StepLogWriter.continuing(file, start.firstStep())
                                : new StepLogWriter(file);
            } catch (IOException e) {
                release();
                throw new UncheckedIOException("Cannot open the step log " + file, e);
            }
            stepLog.addColumns(session.columns());
            stepLog.onTrainingBegin(start);
        }
    }

    private void raised(Finding finding) {
        if (finding.severity() == Severity.INFO) {
            logger.info("{}", finding.describe());
        } else {
            logger.warn("{}", finding.describe());
        }
        for (Consumer<Finding> listener : settings.findingListeners()) {
            listener.accept(finding);
        }
    }

    @Override
    public void onStep(StepRecord record) {
        RunSession current = begun();
        current.joined(record);
        if (stepLog != null) {
            stepLog.onStep(record);
        }
        synchronized (this) {
            current.add(record);
        }
    }

    private synchronized RunSession begun() {
        if (session == null) {
            throw new IllegalStateException("onTrainingBegin must be called before the first step");
        }
        return session;
    }

    @Override
    public synchronized void onCheckpoint(long step, long nanos) {
        if (session != null) {
            session.checkpoint(nanos);
        }
    }

    @Override
    public synchronized void onTrainingFailure(Throwable error) {
        begun().recordFailure(error);
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
    public synchronized void finish(StopReason reason) {
        if (finalReport != null || session == null) {
            release();
            return;
        }
        finalReport = session.report(reason.name());
        writeError = ReportFiles.write(finalReport, settings.runDirectory());
        release();
    }

    /**
     * Closes the step log, stops listening to the garbage collectors and stops the monitor the
     * insight started itself.
     */
    private void release() {
        if (session != null) {
            session.close();
        }
        if (stepLog != null) {
            try {
                stepLog.close();
            } catch (IOException e) {
                logger.warn("Cannot close the step log {}: {}", stepLog.getFile(), e.getMessage());
            }
            stepLog = null;
        }
        if (ownMonitor && monitor != null) {
            monitor.close();
            monitor = null;
        }
    }

    /**
     * Ends the run if it has not ended (as {@link StopReason#INCOMPLETE}, or {@link
     * StopReason#FAILED} after {@link #recordFailure}) and releases what the insight holds.
     */
    @Override
    public synchronized void close() {
        if (session != null && finalReport == null) {
            finish(session.failed() ? StopReason.FAILED : StopReason.INCOMPLETE);
        }
        release();
    }

    /**
     * Returns the final report, once the run ended.
     *
     * @return the report, or null before the end
     */
    public synchronized RunReport report() {
        return finalReport;
    }

    /**
     * Returns why summary.json or report.html could not be written.
     *
     * @return the error, or null when both were written (or the run has not ended)
     */
    public synchronized IOException writeError() {
        return writeError;
    }

    /**
     * Returns the findings so far: the final ones once the run ended, else those raised live.
     *
     * @return the findings, most severe first
     */
    public synchronized List<Finding> findings() {
        if (finalReport != null) {
            return finalReport.findings();
        }
        return session == null ? List.of() : current().findings();
    }

    private RunReport current() {
        return finalReport != null ? finalReport : session.report(null);
    }

    /**
     * Prints the console table of the final report (or of the steps so far).
     *
     * @param out where to print
     */
    public void printTable(PrintWriter out) {
        RunReport report;
        synchronized (this) {
            if (session == null) {
                out.println("Step-vs-GPU insight: the run has not begun");
                out.flush();
                return;
            }
            report = current();
        }
        ConsoleTable.print(report, out);
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
        RunReport now;
        RunSession current;
        synchronized (this) {
            current = session;
            now = current == null ? null : current();
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.setCodec(new ObjectMapper());
            json.writeStartObject();
            if (current == null) {
                json.writeArrayFieldStart("steps");
                json.writeEndArray();
                json.writeNumberField("next", since);
                json.writeNumberField("dropped", 0);
                json.writeStringField("subtitle", "waiting for the first steps");
            } else {
                current.live().write(since, json);
                json.writeStringField("source", current.source());
                json.writeStringField("subtitle", RunReportViews.subtitle(now));
                json.writeObjectField("figures", RunReportViews.figures(now));
                json.writeObjectField("findings", RunReportViews.findings(now));
                json.writeObjectField("series", RunReportViews.series(now));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Returns the live dashboard's page, which polls {@code steps} next to it.
     *
     * @return the HTML
     */
    public String dashboardHtml() {
        String name;
        String source;
        List<String> ids;
        synchronized (this) {
            name = session == null ? settings.runName() : session.runName();
            source = session == null ? RunReport.NONE : session.source();
            ids = deviceIds();
        }
        return HtmlReport.dashboard(
                "trainsight live: " + (name == null ? "run" : name), source, ids);
    }

    /** Configures a {@link RunInsight}; {@link #build()} copies the settings out. */
    public static final class Builder {

        private Path runDirectory;
        private GpuMonitor monitor;
        private boolean monitoring = true;
        private Duration sampleInterval;
        private MemoryLimit memoryLimit;
        private DiagnosisThresholds thresholds = DiagnosisThresholds.defaults();
        private long plannedSteps = -1;
        private String runName;
        private Map<String, Object> configuration = Map.of();
        private Map<String, Object> environment = Map.of();
        private boolean stepLog = true;
        private int liveSteps = 2048;
        private List<Device> trainingDevices;
        private Advice advice = Advice.TRAINING_LOOP;
        private final List<Consumer<Finding>> findingListeners = new ArrayList<>();
        private final Map<NDManager, String> arrayManagers = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the run directory (required); created by {@link #build()} when missing.
         *
         * @param runDirectory the directory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
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
            this.monitor = monitor;
            return this;
        }

        /**
         * Turns sampling off (true by default): the steps' timing alone is diagnosed.
         *
         * @param monitoring whether to sample the GPUs or the host
         * @return this builder
         */
        public Builder optMonitoring(boolean monitoring) {
            this.monitoring = monitoring;
            return this;
        }

        /**
         * Sets the sampling interval of the insight's own monitor (default 50 ms).
         *
         * @param interval from 10 ms to 10 s
         * @return this builder
         */
        public Builder optSampleInterval(Duration interval) {
            this.sampleInterval = interval;
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
            this.trainingDevices = List.of(devices);
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
            this.memoryLimit = memoryLimit;
            return this;
        }

        /**
         * Sets the diagnosis thresholds.
         *
         * @param thresholds the thresholds (default {@link DiagnosisThresholds#defaults()})
         * @return this builder
         */
        public Builder optThresholds(DiagnosisThresholds thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        /**
         * Sets the run's last step, for the OOM trend's horizon, where the loop does not say it.
         *
         * @param plannedSteps the step the run ends at; -1 to take the loop's
         * @return this builder
         */
        public Builder optPlannedSteps(long plannedSteps) {
            this.plannedSteps = plannedSteps;
            return this;
        }

        /**
         * Sets the run's name in the reports (default: the loop's, such as the model's name).
         *
         * @param runName the name
         * @return this builder
         */
        public Builder optRunName(String runName) {
            this.runName = runName;
            return this;
        }

        /**
         * Adds settings to those the loop reports, written to summary.json.
         *
         * @param configuration the settings by name
         * @return this builder
         */
        public Builder optConfiguration(Map<String, Object> configuration) {
            this.configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
            return this;
        }

        /**
         * Adds facts about the environment to those the loop and the monitor report.
         *
         * @param environment the facts by name
         * @return this builder
         */
        public Builder optEnvironment(Map<String, Object> environment) {
            this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            return this;
        }

        /**
         * Turns the step log off (on by default): no {@code steps.jsonl}, only the reports.
         *
         * @param stepLog whether to write {@code steps.jsonl}
         * @return this builder
         */
        public Builder optStepLog(boolean stepLog) {
            this.stepLog = stepLog;
            return this;
        }

        /**
         * Sets how many recent steps {@link #liveJson} can return (default 2048).
         *
         * @param steps the steps kept for the live view
         * @return this builder
         */
        public Builder optLiveSteps(int steps) {
            this.liveSteps = steps;
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
            this.advice = advice;
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
            if (manager == null || label == null) {
                throw new IllegalArgumentException("addArrayManager needs a manager and a label");
            }
            arrayManagers.put(manager, label);
            return this;
        }

        /**
         * Adds a listener told once when a live finding is raised (on the training thread).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addFindingListener(Consumer<Finding> listener) {
            findingListeners.add(listener);
            return this;
        }

        /**
         * Checks the settings, creates the run directory when missing, and builds the insight.
         *
         * @return the insight; nothing runs until the run begins
         * @throws IllegalArgumentException naming a wrong setting
         */
        public RunInsight build() {
            if (runDirectory == null) {
                throw new IllegalArgumentException(
                        "runDirectory is required: call setRunDirectory");
            }
            if (!monitoring && (monitor != null || sampleInterval != null)) {
                throw new IllegalArgumentException(
                        "optMonitoring(false) contradicts "
                                + (monitor != null ? "optMonitor" : "optSampleInterval")
                                + ": without monitoring nothing is sampled");
            }
            if (monitor != null && sampleInterval != null) {
                throw new IllegalArgumentException(
                        "optSampleInterval contradicts optMonitor: the given monitor samples at"
                                + " its own interval, "
                                + monitor.interval().toMillis()
                                + " ms");
            }
            Duration interval =
                    sampleInterval == null ? GpuMonitor.DEFAULT_INTERVAL : sampleInterval;
            if (interval.compareTo(GpuMonitor.MIN_INTERVAL) < 0
                    || interval.compareTo(GpuMonitor.MAX_INTERVAL) > 0) {
                throw new IllegalArgumentException(
                        "sampleInterval must be from 10 ms to 10 s, got " + interval);
            }
            if (liveSteps < 1) {
                throw new IllegalArgumentException(
                        "liveSteps must be at least 1, got " + liveSteps);
            }
            if (thresholds == null) {
                throw new IllegalArgumentException("thresholds must not be null");
            }
            if (advice == null) {
                throw new IllegalArgumentException("advice must not be null");
            }
            try {
                Files.createDirectories(runDirectory);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "runDirectory " + runDirectory + " cannot be created: " + e, e);
            }
            return new RunInsight(
                    new InsightSettings(
                            runDirectory,
                            monitor,
                            monitoring,
                            interval,
                            memoryLimit,
                            thresholds,
                            plannedSteps,
                            runName,
                            configuration,
                            environment,
                            stepLog,
                            liveSteps,
                            advice,
                            List.copyOf(findingListeners),
                            trainingDevices,
                            Collections.unmodifiableMap(new LinkedHashMap<>(arrayManagers))));
        }
    }
}
