package io.trainsight.insight;

import ai.djl.Device;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.HostLoad;
import io.trainsight.insight.internal.correlate.SampleChannel;
import io.trainsight.insight.internal.correlate.StepCorrelator;
import io.trainsight.insight.internal.correlate.StepInsight;
import io.trainsight.insight.internal.correlate.StepSignals;
import io.trainsight.insight.internal.jvm.StepSignalSource;
import io.trainsight.insight.internal.live.LiveSteps;
import io.trainsight.insight.internal.log.InsightColumns;
import io.trainsight.insight.internal.log.SignalColumns;
import io.trainsight.insight.internal.report.InsightCollector;
import io.trainsight.insight.log.StepColumns;
import io.trainsight.insight.report.RunReport;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.insight.timeline.StepRecord;
import io.trainsight.insight.timeline.TrainingOutOfMemoryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The insight's state for one run, made when the run begins, once the loop has said what it plans:
 * the devices watched, the correlator, the JVM and host signals, the aggregates, the live steps,
 * and how the run ended.
 */
final class RunSession {

    private final InsightSettings settings;
    private final RunStart start;
    private final StepCorrelator correlator;
    private final InsightCollector collector;
    private final LiveSteps live;
    private final String source;
    private final String sourceDescription;
    private final Map<String, Object> environment;
    private final Map<String, Object> configuration;
    private final long plannedSteps;
    private final String runName;
    private final WatchedDevices watched;
    private final GpuMonitor monitor;
    private final StepSignalSource signals;
    private final SignalColumns signalColumns = new SignalColumns();
    private List<StepInsight> joined = List.of();
    private StepSignals joinedSignals = StepSignals.NONE;
    private String failure;
    private long failedStep = -1;

    RunSession(
            InsightSettings settings,
            RunStart start,
            GpuMonitor monitor,
            Consumer<Finding> onLiveFinding) {
        this.settings = settings;
        this.start = start;
        this.monitor = monitor;
        List<Device> devices =
                settings.trainingDevices() != null
                        ? settings.trainingDevices()
                        : start.devices().isEmpty() ? null : start.devices();
        watched = WatchedDevices.of(monitor, devices, settings.memoryLimit());
        List<SampleChannel> channels = watched.channels();
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
            sourceDescription =
                    monitor == null
                            ? "none (no monitor): step timing only"
                            : "none: " + watched.note();
        } else if (hosts.get(0)) {
            source = RunReport.HOST;
            sourceDescription = descriptions.get(0);
        } else {
            source = RunReport.GPU;
            sourceDescription = "GPU through NVML: " + String.join(", ", descriptions);
        }
        plannedSteps =
                settings.plannedSteps() >= 0 ? settings.plannedSteps() : start.plannedSteps();
        runName =
                settings.runName() != null
                        ? settings.runName()
                        : start.runName() != null ? start.runName() : "run";
        configuration = merged(start.configuration(), settings.configuration());
        Map<String, Object> given = merged(start.environment(), settings.environment());
        given.put("advice", settings.advice().id());
        environment = Environments.of(monitor, channels, given, watched);
        correlator =
                monitor == null || channels.isEmpty()
                        ? null
                        : new StepCorrelator(monitor.ring(), channels, null);
        collector =
                new InsightCollector(
                        ids,
                        descriptions,
                        hosts,
                        settings.thresholds(),
                        settings.advice(),
                        plannedSteps,
                        onLiveFinding);
        live = new LiveSteps(settings.liveSteps(), ids.size());
        signals =
                new StepSignalSource(
                        HostLoad.machineCores(),
                        count(given.get("engine_threads")),
                        count(given.get("loader_workers")));
        if (start.modelManager() != null) {
            signals.watch(start.modelManager(), "model '" + runName + "'");
        }
        settings.arrayManagers().forEach(signals::watch);
        signals.begin();
        collector.setOrigin(start.originNanos());
        if (correlator != null) {
            correlator.onTrainingBegin(start);
        }
    }

    private static int count(Object value) {
        return value instanceof Number number ? Math.max(0, number.intValue()) : 0;
    }

    private static Map<String, Object> merged(
            Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    String source() {
        return source;
    }

    List<String> deviceIds() {
        return collector.deviceIds();
    }

    String runName() {
        return runName;
    }

    /**
     * The fields the insight adds to a step's line of the step log: its {@code devices}, and its
     * {@code jvm}, {@code load} and {@code checkpoint_ms}, from the step last {@linkplain #join
     * joined}.
     */
    StepColumns columns() {
        return (record, json) -> {
            InsightColumns.write(json, joined);
            signalColumns.write(json, joinedSignals);
        };
    }

    /**
     * Counts the live arrays after a step: on the training thread, before the next step begins.
     *
     * @param record the step
     * @return the census, for {@link #join}
     */
    StepSignalSource.Census census(StepRecord record) {
        return signals.count(record.durationNanos());
    }

    /**
     * Joins a step, whose census was taken on the training thread, with its samples and signals,
     * once for the step log and the aggregates alike ({@link #columns}, {@link #add}).
     */
    void join(StepRecord record, StepSignalSource.Census census) {
        joined = correlator == null ? List.of() : correlator.correlate(record);
        joinedSignals =
                signals.after(
                        record,
                        correlator == null ? HostLoad.UNKNOWN : correlator.hostLoad(),
                        census);
    }

    /** Adds the step last joined to the aggregates and the live steps. */
    void add(StepRecord record) {
        collector.add(record, joined, joinedSignals);
        live.add(record, joined);
    }

    /** Records a checkpoint written after the last step; the next step carries its time. */
    void checkpoint(long nanos) {
        signals.checkpoint(nanos);
    }

    /** Stops listening to the garbage collectors. */
    void close() {
        signals.close();
    }

    void recordFailure(Throwable error) {
        failure = firstLine(error.getMessage() == null ? error.toString() : error.getMessage());
        if (error instanceof TrainingOutOfMemoryException oom) {
            failedStep = oom.getStep();
            Throwable cause = oom.getCause() == null ? oom : oom.getCause();
            collector.onOutOfMemory(oom.getStep(), String.valueOf(cause.getMessage()));
        }
    }

    boolean failed() {
        return failure != null;
    }

    /**
     * The report so far, or the final one: with the stop reason, the compute processes on the
     * training GPUs at the end are listed too.
     */
    RunReport report(String stopReason) {
        Map<String, Object> facts =
                stopReason == null
                        ? environment
                        : Environments.withProcesses(environment, watched.processesNow(monitor));
        return collector.report(
                new RunReport.RunInfo(
                        runName,
                        settings.runDirectory().toString(),
                        stopReason,
                        failure,
                        failedStep,
                        plannedSteps,
                        correlator == null ? 0 : correlator.missedSamples()),
                configuration,
                merged(facts, signals.environment()),
                source,
                sourceDescription);
    }

    LiveSteps live() {
        return live;
    }

    RunStart start() {
        return start;
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse(message);
    }
}
