package io.trainsight.insight;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a {@link RunInsight.Builder} has been told so far, with the defaults: {@link #settings()}
 * checks it, creates the run directory and copies it into the immutable {@link InsightSettings}.
 */
final class SettingsDraft {

    Path runDirectory;
    GpuMonitor monitor;
    boolean monitoring = true;
    Duration sampleInterval;
    MemoryLimit memoryLimit;
    DiagnosisThresholds thresholds = DiagnosisThresholds.defaults();
    long plannedSteps = -1;
    String runName;
    Map<String, Object> configuration = Map.of();
    Map<String, Object> environment = Map.of();
    boolean stepLog = true;
    int liveSteps = 2048;
    List<Device> trainingDevices;
    Advice advice = Advice.TRAINING_LOOP;
    final List<Consumer<Finding>> findingListeners = new ArrayList<>();
    final Map<NDManager, String> arrayManagers = new LinkedHashMap<>();

    /**
     * Adds an NDManager whose live arrays are counted.
     *
     * @param manager the manager
     * @param label how reports name it
     * @throws IllegalArgumentException if either is null
     */
    void addArrayManager(NDManager manager, String label) {
        if (manager == null || label == null) {
            throw new IllegalArgumentException("addArrayManager needs a manager and a label");
        }
        arrayManagers.put(manager, label);
    }

    /**
     * Copies a map, keeping its order, for settings nothing may change afterwards.
     *
     * @param map the map
     * @return an unmodifiable copy
     */
    static Map<String, Object> frozen(Map<String, Object> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Checks the settings, creates the run directory when missing and copies the settings out.
     *
     * @return the settings; later changes to this draft do not reach them
     * @throws IllegalArgumentException naming a wrong setting
     */
    InsightSettings settings() {
        if (runDirectory == null) {
            throw new IllegalArgumentException("runDirectory is required: call setRunDirectory");
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
        Duration interval = sampleInterval == null ? GpuMonitor.DEFAULT_INTERVAL : sampleInterval;
        if (interval.compareTo(GpuMonitor.MIN_INTERVAL) < 0
                || interval.compareTo(GpuMonitor.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "sampleInterval must be from 10 ms to 10 s, got " + interval);
        }
        if (liveSteps < 1) {
            throw new IllegalArgumentException("liveSteps must be at least 1, got " + liveSteps);
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
        return new InsightSettings(
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
                Collections.unmodifiableMap(new LinkedHashMap<>(arrayManagers)));
    }
}
