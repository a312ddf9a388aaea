package io.trainsight.insight;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.diagnose.DiagnosisThresholds;
import io.trainsight.insight.diagnose.Finding;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings of a {@link RunInsight}, copied out of its builder by {@code build()}: nothing reads
 * the builder afterwards.
 *
 * @param runDirectory where the files go
 * @param monitor the caller's monitor, or null
 * @param monitoring whether to sample at all (false: step timing only)
 * @param sampleInterval the interval of the insight's own monitor
 * @param memoryLimit the host's memory ceiling without a GPU, or null for the cgroup's or the
 *     machine's
 * @param thresholds the diagnosis thresholds
 * @param plannedSteps the run's last step, or -1 to take it from the loop
 * @param runName the run's name, or null to take it from the loop
 * @param configuration settings added to the loop's
 * @param environment facts added to the loop's
 * @param stepLog whether to write {@code steps.jsonl}
 * @param liveSteps the steps kept for the live view
 * @param advice the names the advice uses for the settings it suggests
 * @param findingListeners told when a live finding is raised
 * @param trainingDevices the devices the run trains on, or null to take them from the loop
 * @param arrayManagers more NDManagers whose live arrays are counted, with their labels
 */
record InsightSettings(
        Path runDirectory,
        GpuMonitor monitor,
        boolean monitoring,
        Duration sampleInterval,
        MemoryLimit memoryLimit,
        DiagnosisThresholds thresholds,
        long plannedSteps,
        String runName,
        Map<String, Object> configuration,
        Map<String, Object> environment,
        boolean stepLog,
        int liveSteps,
        Advice advice,
        List<Consumer<Finding>> findingListeners,
        List<Device> trainingDevices,
        Map<NDManager, String> arrayManagers) {}
