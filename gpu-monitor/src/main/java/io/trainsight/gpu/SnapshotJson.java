package io.trainsight.gpu;

import io.trainsight.gpu.internal.host.HostName;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Writes a {@link Snapshot} as one line of JSON, the shape shared by {@code trainsight gpus --json}
 * and the exporter's {@code /gpu-status}: {@code time}, {@code hostname}, the driver's versions (or
 * {@code no_gpu_reason}), {@code gpus} (one object per GPU, each metric under its {@link
 * GpuMetric#jsonName()}, {@code null} where it was not sampled, with the decoded {@code
 * throttle_reasons} and, when given, {@code processes}) and {@code host}.
 */
public final class SnapshotJson {

    private SnapshotJson() {}

    /**
     * Writes a snapshot.
     *
     * @param monitor the monitor it came from (for the driver and the no-GPU reason)
     * @param snapshot the snapshot
     * @param processes the processes of each GPU by index, for the GPUs to list them for; may be
     *     empty
     * @return one line of JSON, without a line break
     */
    public static String write(
            GpuMonitor monitor, Snapshot snapshot, Map<Integer, List<GpuProcess>> processes) {
        StringBuilder json = new StringBuilder(1024);
        json.append("{\"time\":");
        string(json, Instant.ofEpochMilli(snapshot.epochMillis()).toString());
        json.append(",\"hostname\":");
        string(json, HostName.get());
        monitor.driver()
                .ifPresent(
                        driver -> {
                            json.append(",\"driver_version\":");
                            string(json, driver.driverVersion());
                            json.append(",\"nvml_version\":");
                            string(json, driver.nvmlVersion());
                            json.append(",\"cuda_version\":");
                            string(json, driver.cudaVersion());
                        });
        monitor.noGpuReason()
                .ifPresent(
                        reason -> {
                            json.append(",\"no_gpu_reason\":");
                            string(json, reason);
                        });
        json.append(",\"gpus\":[");
        for (GpuSample gpu : snapshot.gpus()) {
            if (gpu.device().index() > 0) {
                json.append(',');
            }
            gpu(json, gpu, processes.get(gpu.device().index()));
        }
        json.append("],\"host\":{");
        boolean first = true;
        for (HostMetric metric : HostMetric.values()) {
            json.append(first ? "" : ",").append('"').append(metric.jsonName()).append("\":");
            first = false;
            OptionalLong value = snapshot.host().get(metric);
            if (value.isEmpty()) {
                json.append("null");
            } else if (metric.scale() == 1) {
                json.append(value.getAsLong());
            } else {
                json.append(String.format(Locale.ROOT, "%.1f", metric.toUnit(value.getAsLong())));
            }
        }
        return json.append("}}").toString();
    }

    private static void gpu(StringBuilder json, GpuSample gpu, List<GpuProcess> processes) {
        json.append("{\"index\":").append(gpu.device().index()).append(",\"name\":");
        string(json, gpu.device().name());
        json.append(",\"uuid\":");
        string(json, gpu.device().uuid());
        json.append(",\"lost\":").append(gpu.lost());
        for (GpuMetric metric : GpuMetric.values()) {
            OptionalLong value = gpu.get(metric);
            json.append(",\"").append(metric.jsonName()).append("\":");
            json.append(value.isPresent() ? Long.toString(value.getAsLong()) : "null");
        }
        json.append(",\"throttle_reasons\":[");
        boolean first = true;
        for (ThrottleReason reason : gpu.throttleReasons()) {
            json.append(first ? "" : ",");
            string(json, reason.nvmlName());
            first = false;
        }
        json.append("],\"pci_bus_id\":");
        string(json, gpu.device().pciBusId());
        if (processes != null) {
            json.append(",\"processes\":[");
            for (int i = 0; i < processes.size(); i++) {
                GpuProcess process = processes.get(i);
                json.append(i == 0 ? "" : ",").append("{\"pid\":").append(process.pid());
                json.append(",\"command\":");
                string(json, process.command());
                json.append(",\"used_memory_bytes\":");
                json.append(
                        process.usedMemoryBytes() == GpuProcess.UNKNOWN_MEMORY
                                ? "null"
                                : Long.toString(process.usedMemoryBytes()));
                json.append('}');
            }
            json.append(']');
        }
        json.append('}');
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
