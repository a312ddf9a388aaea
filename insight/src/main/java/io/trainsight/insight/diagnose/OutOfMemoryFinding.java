package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/** The finding of an out-of-memory that ended the run, with the memory trend before it. */
final class OutOfMemoryFinding {

    private OutOfMemoryFinding() {}

    static Finding of(long step, String message, StatsSnapshot before, String device) {
        String firstLine = message == null ? "" : message.strip().lines().findFirst().orElse("");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("step", step);
        evidence.put("message", firstLine);
        String trend = "";
        if (before != null && before.memoryLast() >= 0) {
            evidence.put("memory_last_bytes", before.memoryLast());
            evidence.put("memory_capacity_bytes", before.memoryCapacity());
            evidence.put("slope_bytes_per_step", Units.round(before.memorySlope(), 0));
            evidence.put("trend_r2", Units.round(before.memoryR2(), 3));
            evidence.put("window_steps", before.steps());
            trend =
                    Units.format(
                            "; before it memory was %s of %s%s",
                            Units.bytes(before.memoryLast()),
                            Units.bytes(before.memoryCapacity()),
                            before.memorySlope() > 0
                                    ? Units.format(
                                            ", growing %s per step over the last %d steps",
                                            Units.bytes(Math.round(before.memorySlope())),
                                            before.steps())
                                    : "");
        }
        return new Finding(
                FindingKind.OUT_OF_MEMORY,
                Severity.CRITICAL,
                Finding.RUN,
                device,
                step,
                step,
                "out of memory",
                Units.format("the engine ran out of memory at step %d%s", step, trend),
                evidence,
                "Use mixed precision ({amp}), gradient accumulation with smaller micro-batches"
                        + " ({accumulate}) or a smaller batch; resume from the last checkpoint");
    }
}
