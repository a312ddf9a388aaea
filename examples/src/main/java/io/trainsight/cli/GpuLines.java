package io.trainsight.cli;

import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.GpuSample;
import io.trainsight.gpu.HostMetric;
import io.trainsight.gpu.HostSample;
import io.trainsight.gpu.Snapshot;
import io.trainsight.gpu.internal.host.HostName;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Formats a snapshot the way gpustat does: a header line (host, time, driver), then one line per
 * GPU ({@code [0] NAME | 34°C, 87 % | 40960 / 81559 MiB | 312 / 700 W | python/4242(40960M)}) or,
 * without a GPU, one line for the host. A value the GPU did not give prints as {@code ?}.
 */
final class GpuLines {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private GpuLines() {}

    static String format(
            GpuMonitor monitor, Snapshot snapshot, Map<Integer, List<GpuProcess>> processes) {
        StringBuilder text = new StringBuilder();
        text.append(HostName.get())
                .append("  ")
                .append(TIME.format(Instant.ofEpochMilli(snapshot.epochMillis())));
        monitor.driver()
                .ifPresent(driver -> text.append("  driver ").append(driver.driverVersion()));
        monitor.noGpuReason()
                .ifPresent(reason -> text.append("  no NVIDIA GPU (").append(reason).append(')'));
        text.append('\n');
        int nameWidth =
                snapshot.gpus().stream()
                        .mapToInt(gpu -> gpu.device().name().length())
                        .max()
                        .orElse(0);
        for (GpuSample gpu : snapshot.gpus()) {
            gpu(text, gpu, nameWidth, processes.getOrDefault(gpu.device().index(), List.of()));
        }
        if (snapshot.gpus().isEmpty()) {
            host(text, snapshot.host());
        }
        return text.toString();
    }

    private static void gpu(
            StringBuilder text, GpuSample gpu, int nameWidth, List<GpuProcess> processes) {
        text.append(
                String.format(
                        Locale.ROOT,
                        "[%d] %-" + nameWidth + "s | ",
                        gpu.device().index(),
                        gpu.device().name()));
        if (gpu.lost()) {
            text.append("lost: no longer sampled\n");
            return;
        }
        text.append(value(gpu.get(GpuMetric.TEMPERATURE), 1, 3)).append("°C, ");
        text.append(value(gpu.get(GpuMetric.UTILIZATION_GPU), 1, 3)).append(" % | ");
        text.append(value(gpu.get(GpuMetric.MEMORY_USED), 1 << 20, 6))
                .append(" / ")
                .append(value(gpu.get(GpuMetric.MEMORY_TOTAL), 1 << 20, 6))
                .append(" MiB | ");
        text.append(value(gpu.get(GpuMetric.POWER_USAGE), 1000, 4))
                .append(" / ")
                .append(value(gpu.get(GpuMetric.POWER_LIMIT), 1000, 4))
                .append(" W |");
        text.append(
                processes.stream()
                        .map(GpuLines::process)
                        .collect(Collectors.joining(" ", processes.isEmpty() ? "" : " ", "")));
        text.append('\n');
    }

    private static String process(GpuProcess process) {
        String memory =
                process.usedMemoryBytes() == GpuProcess.UNKNOWN_MEMORY
                        ? "?"
                        : Long.toString(process.usedMemoryBytes() >> 20);
        String command = process.command().isEmpty() ? "" : process.command() + "/";
        return command + process.pid() + "(" + memory + "M)";
    }

    private static void host(StringBuilder text, HostSample host) {
        text.append("[host] cpu ")
                .append(percent(host.value(HostMetric.SYSTEM_CPU)))
                .append(" % | memory ")
                .append(value(host.get(HostMetric.SYSTEM_MEMORY_USED), 1 << 20, 6))
                .append(" / ")
                .append(value(host.get(HostMetric.SYSTEM_MEMORY_TOTAL), 1 << 20, 6))
                .append(" MiB\n");
    }

    private static String percent(OptionalDouble value) {
        return value.isPresent()
                ? String.format(Locale.ROOT, "%5.1f", value.getAsDouble())
                : "    ?";
    }

    private static String value(OptionalLong value, long divisor, int width) {
        String text = value.isPresent() ? Long.toString(value.getAsLong() / divisor) : "?";
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
