package io.trainsight.insight;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.correlate.GpuChannel;
import io.trainsight.insight.correlate.HostChannel;
import io.trainsight.insight.correlate.HostLoad;
import io.trainsight.insight.correlate.MemoryLimit;
import io.trainsight.insight.correlate.SampleChannel;
import io.trainsight.insight.correlate.StepCorrelator;
import io.trainsight.insight.correlate.StepInsight;
import io.trainsight.insight.correlate.StepSignals;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.diagnose.Severity;
import io.trainsight.insight.internal.jvm.StepSignalSource;
import io.trainsight.insight.live.LiveSteps;
import io.trainsight.insight.log.InsightColumns;
import io.trainsight.insight.log.SignalColumns;
import io.trainsight.insight.log.StepColumns;
import io.trainsight.insight.report.ConsoleTable;
import io.trainsight.insight.report.HtmlReport;
import io.trainsight.insight.report.InsightCollector;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.report.RunReportViews;
import io.trainsight.insight.report.SummaryJson;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import io.trainsight.insight.timeline.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step-vs-GPU insight of one run, as a {@link StepListener}: every step is joined with the
 * samples the {@link GpuMonitor} took while it ran ({@link StepCorrelator}), written on the step's
 * line of {@code steps.jsonl} (attach {@link #columns()} to the {@link
 * io.trainsight.insight.log.StepLogWriter}: one line and one write per step), diagnosed live on a
 * rolling window (a finding raised is logged once: at WARN, or at INFO for an info-severity one)
 * and kept in bounded aggregates. When the run ends, also with an error, {@code summary.json} and
 * {@code report.html} are written to the run directory, atomically.
 *
 * <pre>{@code
 * try (GpuMonitor monitor = GpuMonitor.builder().build();
 *         RunInsight insight = RunInsight.builder().setRunDirectory(dir)
 *                 .optMonitor(monitor).optPlannedSteps(1000).build();
 *         StepLogWriter log = new StepLogWriter(dir.resolve("steps.jsonl"))
 *                 .addColumns(insight.columns());
 *         TrainingLoop loop = TrainingLoop.builder() ... .addListener(log).addListener(insight)
 *                 .build()) {
 *     monitor.start();
 *     loop.run();
 *     insight.printTable(new PrintWriter(System.out));
 * }
 * }</pre>
 *
 * <p>Without a monitor, the steps' timing alone is diagnosed (input-bound still shows). Without a
 * GPU, the host stands in for one ({@link HostChannel}) and the report says so.
 */
public final class RunInsight implements StepListener {

    private static final Logger logger = LoggerFactory.getLogger(RunInsight.class);

    private final Builder config;
    private final StepCorrelator correlator;
    private StepRecord joinedRecord;
    private List<StepInsight> joined = List.of();
    private final StepSignalSource signals;
    private final SignalColumns signalColumns = new SignalColumns();
    private StepSignals joinedSignals = StepSignals.NONE;
    private final InsightCollector collector;
    private final LiveSteps live;
    private final String source;
    private final String sourceDescription;
    private final Map<String, Object> environment;
    private String stopReason;
    private String failure;
    private long failedStep = -1;
    private RunReport finalReport;
    private IOException writeError;

    private RunInsight(Builder config, List<SampleChannel> channels) {
        this.config = config;
        List<String> ids = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        List<Boolean> hosts = new ArrayList<>();
        for (SampleChannel channel : channels) {
            ids.add(channel.id());
            descriptions.add(channel.describe());
            hosts.add(channel.isHost());
        }
        if (channels.isEmpty()) {
            source = RunReport.NONE;
            sourceDescription = "none (no monitor): step timing only";
        } else if (hosts.get(0)) {
            source = RunReport.HOST;
            sourceDescription = descriptions.get(0);
        } else {
            source = RunReport.GPU;
            sourceDescription = "GPU through NVML: " + String.join(", ", descriptions);
        }
        this.environment = Environments.of(config.monitor, channels, config.environment);
        this.correlator =
                config.monitor == null
                        ? null
                        : new StepCorrelator(config.monitor.ring(), channels, null);
        this.collector =
                new InsightCollector(
                        ids,
                        descriptions,
                        hosts,
                        config.thresholds,
                        config.plannedSteps,
                        this::raised);
        this.live = new LiveSteps(config.liveSteps, ids.size());
        this.signals =
                new StepSignalSource(
                        HostLoad.machineCores(), config.engineThreads, config.loaderWorkers);
        config.arrayManagers.forEach(signals::watch);
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    private void raised(Finding finding) {
        if (finding.severity() == Severity.INFO) {
            logger.info("{}", finding.describe());
        } else {
            logger.warn("{}", finding.describe());
        }
        for (java.util.function.Consumer<Finding> listener : config.findingListeners) {
            listener.accept(finding);
        }
    }

    /**
     * Returns where the samples come from.
     *
     * @return {@link RunReport#GPU}, {@link RunReport#HOST} or {@link RunReport#NONE}
     */
    public String source() {
        return source;
    }

    /**
     * Returns the devices' ids, in the order of each step's {@code devices}.
     *
     * @return the ids; empty without a monitor
     */
    public List<String> deviceIds() {
        return collector.deviceIds();
    }

    @Override
    public synchronized void onTrainingBegin(long originNanos) {
        collector.setOrigin(originNanos);
        signals.begin();
        if (correlator != null) {
            correlator.onTrainingBegin(originNanos);
        }
    }

    /**
     * Returns the fields this insight adds to each line of the step log: the step's {@code devices}
     * (see {@link InsightColumns}).
     *
     * @return the columns, to pass to {@link io.trainsight.insight.log.StepLogWriter#addColumns}
     */
    public StepColumns columns() {
        return (record, json) -> {
            InsightColumns.write(json, joined(record));
            signalColumns.write(json, joinedSignals);
        };
    }

    /**
     * Joins a step with its samples and its JVM and host signals once, for the step log and the
     * listener alike.
     */
    private List<StepInsight> joined(StepRecord record) {
        if (record != joinedRecord) {
            joined = correlator == null ? List.of() : correlator.correlate(record);
            joinedSignals =
                    signals.after(
                            record, correlator == null ? HostLoad.UNKNOWN : correlator.hostLoad());
            joinedRecord = record;
        }
        return joined;
    }

    @Override
    public void onStep(StepRecord record) {
        List<StepInsight> insights = joined(record);
        synchronized (this) {
            collector.add(record, insights, joinedSignals);
            live.add(record, insights);
        }
    }

    @Override
    public void onCheckpoint(long step, long nanos) {
        signals.checkpoint(nanos);
    }

    @Override
    public synchronized void onTrainingFailure(Throwable error) {
        failure = firstLine(error.getMessage() == null ? error.toString() : error.getMessage());
        if (error instanceof TrainingOutOfMemoryException oom) {
            failedStep = oom.getStep();
            Throwable cause = oom.getCause() == null ? oom : oom.getCause();
            collector.onOutOfMemory(oom.getStep(), String.valueOf(cause.getMessage()));
        }
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        finish(result.stopReason().name());
    }

    /**
     * Ends the run without a {@link TrainingResult} (for loops other than trainsight's): writes
     * summary.json and report.html. Later calls do nothing.
     *
     * @param reason why the run ended, such as {@code BUDGET} or {@code FAILED}
     */
    public synchronized void finish(String reason) {
        if (finalReport != null) {
            return;
        }
        stopReason = reason;
        finalReport = snapshot();
        signals.close();
        try {
            SummaryJson.write(finalReport, config.runDirectory.resolve(SummaryJson.FILE_NAME));
            HtmlReport.write(finalReport, config.runDirectory.resolve(HtmlReport.FILE_NAME));
        } catch (IOException | UncheckedIOException e) {
            writeError = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            logger.warn(
                    "Cannot write the run's report to {}: {}", config.runDirectory, e.getMessage());
        }
    }

    /**
     * Records that the run failed, before {@link #finish}, for loops other than trainsight's.
     *
     * @param error what ended the run
     */
    public void recordFailure(Throwable error) {
        onTrainingFailure(error);
    }

    private RunReport snapshot() {
        return collector.report(
                new RunReport.RunInfo(
                        config.runName,
                        config.runDirectory.toString(),
                        stopReason,
                        failure,
                        failedStep,
                        config.plannedSteps,
                        correlator == null ? 0 : correlator.missedSamples()),
                config.configuration,
                withSignals(environment),
                source,
                sourceDescription);
    }

    private Map<String, Object> withSignals(Map<String, Object> facts) {
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.putAll(signals.environment());
        return all;
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
     * Prints the console table of the final report (or of the steps so far).
     *
     * @param out where to print
     */
    public void printTable(PrintWriter out) {
        RunReport report;
        synchronized (this) {
            report = finalReport != null ? finalReport : snapshot();
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
        synchronized (this) {
            now = finalReport != null ? finalReport : snapshot();
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.setCodec(new ObjectMapper());
            json.writeStartObject();
            live.write(since, json);
            json.writeStringField("source", source);
            json.writeStringField("subtitle", RunReportViews.subtitle(now));
            json.writeObjectField("figures", RunReportViews.figures(now));
            json.writeObjectField("findings", RunReportViews.findings(now));
            json.writeObjectField("series", RunReportViews.series(now));
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
        return HtmlReport.dashboard(
                "trainsight live: " + config.runName, source, collector.deviceIds());
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse(message);
    }

    /** Configures a {@link RunInsight}. */
    public static final class Builder {

        private Path runDirectory;
        private GpuMonitor monitor;
        private MemoryLimit memoryLimit;
        private DiagnosisThresholds thresholds = DiagnosisThresholds.defaults();
        private long plannedSteps = -1;
        private String runName = "run";
        private Map<String, Object> configuration = Map.of();
        private Map<String, Object> environment = Map.of();
        private int liveSteps = 2048;
        private final Map<NDManager, String> arrayManagers = new LinkedHashMap<>();
        private int engineThreads;
        private int loaderWorkers;
        private final List<java.util.function.Consumer<Finding>> findingListeners =
                new ArrayList<>();

        private Builder() {}

        /**
         * Sets the run directory (required); it must exist.
         *
         * @param runDirectory the directory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /**
         * Sets the monitor whose samples are joined with the steps; without one, only the steps'
         * timing is diagnosed.
         *
         * @param monitor the monitor (started by the caller)
         * @return this builder
         */
        public Builder optMonitor(GpuMonitor monitor) {
            this.monitor = monitor;
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
         * Sets the run's last step, for the OOM trend's horizon.
         *
         * @param plannedSteps the step the run ends at; -1 when unknown
         * @return this builder
         */
        public Builder optPlannedSteps(long plannedSteps) {
            this.plannedSteps = plannedSteps;
            return this;
        }

        /**
         * Sets the run's name in the reports.
         *
         * @param runName such as the example's name
         * @return this builder
         */
        public Builder optRunName(String runName) {
            this.runName = runName;
            return this;
        }

        /**
         * Sets the run's settings, written to summary.json.
         *
         * @param configuration the settings by name
         * @return this builder
         */
        public Builder optConfiguration(Map<String, Object> configuration) {
            this.configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
            return this;
        }

        /**
         * Adds facts about the environment (engine, device …), written to summary.json beside the
         * monitor's.
         *
         * @param environment the facts by name
         * @return this builder
         */
        public Builder optEnvironment(Map<String, Object> environment) {
            this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
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
         * Counts the live NDArrays of a manager and its children after every step, for the
         * ndarray-leak finding and the live-arrays chart: pass the model's manager ({@code
         * model.getNDManager()}), which holds the parameters and the trainer's manager.
         *
         * @param manager the manager
         * @param label how reports name it, such as {@code model 'mlp'}
         * @return this builder
         */
        public Builder addArrayManager(NDManager manager, String label) {
            arrayManagers.put(manager, label);
            return this;
        }

        /**
         * Sets the threads the run keeps busy on the host beside the training thread, for the
         * contention finding's over-subscription check.
         *
         * @param engineThreads the engine's intra-op threads (0 when unknown)
         * @param loaderWorkers the data loader's worker threads
         * @return this builder
         */
        public Builder optCpuThreads(int engineThreads, int loaderWorkers) {
            this.engineThreads = engineThreads;
            this.loaderWorkers = loaderWorkers;
            return this;
        }

        /**
         * Adds a listener told once when a live finding is raised (on the training thread).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addFindingListener(java.util.function.Consumer<Finding> listener) {
            findingListeners.add(listener);
            return this;
        }

        /**
         * Checks the settings.
         *
         * @return the insight
         * @throws IllegalArgumentException naming a wrong setting
         */
        public RunInsight build() {
            if (runDirectory == null) {
                throw new IllegalArgumentException(
                        "runDirectory is required: call setRunDirectory");
            }
            if (!java.nio.file.Files.isDirectory(runDirectory)) {
                throw new IllegalArgumentException(
                        "runDirectory " + runDirectory + " is not a directory");
            }
            if (liveSteps < 1) {
                throw new IllegalArgumentException(
                        "liveSteps must be at least 1, got " + liveSteps);
            }
            if (thresholds == null) {
                throw new IllegalArgumentException("thresholds must not be null");
            }
            if (engineThreads < 0 || loaderWorkers < 0) {
                throw new IllegalArgumentException(
                        "cpuThreads must be 0 or more, got "
                                + engineThreads
                                + " engine threads and "
                                + loaderWorkers
                                + " loader workers");
            }
            List<SampleChannel> channels = new ArrayList<>();
            if (monitor != null) {
                for (DeviceInfo device : monitor.devices()) {
                    channels.add(new GpuChannel(device));
                }
                if (channels.isEmpty()) {
                    channels.add(
                            new HostChannel(
                                    Runtime.getRuntime().availableProcessors(),
                                    memoryLimit != null
                                            ? memoryLimit
                                            : Environments.cgroupLimit()));
                }
            }
            return new RunInsight(this, channels);
        }
    }
}
