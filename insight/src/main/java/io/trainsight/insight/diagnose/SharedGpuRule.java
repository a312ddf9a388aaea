package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared GPU (info): other processes held at least {@link DiagnosisThresholds#sharedGpuShare()} of
 * the usable memory of the GPU the run trains on. The run's OOM risk is judged on its own memory;
 * this says how much of the GPU was not the run's to take, and how busy the others kept it. Only
 * where the run's own PID was found among the GPU's processes: otherwise the run itself would be
 * counted among the "others".
 */
final class SharedGpuRule implements Rule {

    private final DiagnosisThresholds thresholds;

    SharedGpuRule(DiagnosisThresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.SHARED_GPU;
    }

    @Override
    public double level(StatsSnapshot stats, long remainingSteps) {
        if (stats.host() || stats.processMemorySteps() == 0) {
            return 0;
        }
        double share = stats.otherMemoryShare();
        return Double.isNaN(share) ? 0 : share / thresholds.sharedGpuShare();
    }

    @Override
    public Finding finding(StatsSnapshot stats, long remainingSteps, String scope) {
        double share = stats.otherMemoryShare();
        long left = stats.memoryCapacity() - stats.otherMemoryPeak();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("other_processes_memory_peak_bytes", stats.otherMemoryPeak());
        evidence.put("memory_capacity_bytes", stats.memoryCapacity());
        evidence.put("other_processes_share", Units.round(share, 4));
        evidence.put("threshold_share", thresholds.sharedGpuShare());
        evidence.put("run_memory_peak_bytes", stats.memoryPeak());
        evidence.put("left_for_the_run_bytes", left);
        String busy = "";
        if (!Double.isNaN(stats.otherUtilMax())) {
            evidence.put("other_processes_sm_max_percent", Units.round(stats.otherUtilMax(), 1));
            busy =
                    Units.format(
                            "; the busiest other process used up to %s of the SMs",
                            Units.percent(stats.otherUtilMax()));
        }
        String summary =
                Units.format(
                        "other processes held up to %s of the GPU's usable %s (%s), leaving the run"
                                + " %s; the run itself peaked at %s%s",
                        Units.bytes(stats.otherMemoryPeak()),
                        Units.bytes(stats.memoryCapacity()),
                        Units.percentOf(share),
                        Units.bytes(left),
                        Units.bytes(stats.memoryPeak()),
                        busy);
        return new Finding(
                kind(),
                Severity.INFO,
                scope,
                stats.device(),
                stats.firstStep(),
                stats.lastStep(),
                "GPU shared with other processes",
                summary,
                evidence,
                "The run can grow only into what the others leave, and shares the SMs with them;"
                        + " its OOM risk is judged on its own memory. For steady timings, train on"
                        + " a GPU of its own (CUDA_VISIBLE_DEVICES) or move the other processes");
    }
}
