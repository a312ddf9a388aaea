package io.trainsight.insight;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.insight.internal.correlate.HostChannel;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import io.trainsight.insight.internal.correlate.SampleChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environment facts summary.json records about the monitor and the host. */
final class Environments {

    private Environments() {}

    static Map<String, Object> of(
            GpuMonitor monitor,
            List<SampleChannel> channels,
            Map<String, Object> given,
            WatchedDevices watched) {
        Map<String, Object> environment = new LinkedHashMap<>(given);
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        if (monitor == null) {
            environment.put("monitor", "off");
            return environment;
        }
        environment.put("sample_interval_ms", monitor.interval().toMillis());
        monitor.driver()
                .ifPresent(
                        driver -> {
                            environment.put("driver", driver.driverVersion());
                            environment.put("nvml", driver.nvmlVersion());
                            environment.put("cuda_driver", driver.cudaVersion());
                        });
        monitor.noGpuReason().ifPresent(reason -> environment.put("no_gpu_reason", reason));
        List<Object> gpus = new ArrayList<>();
        for (DeviceInfo device : monitor.devices()) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("index", device.index());
            gpu.put("name", device.name());
            gpu.put("uuid", device.uuid());
            gpu.put("pci_bus_id", device.pciBusId());
            gpu.put("role", watched.roles().getOrDefault(device.index(), WatchedDevices.CONTEXT));
            long total = monitor.ring().latestGpu(device.index(), GpuMetric.MEMORY_TOTAL);
            gpu.put("memory_total_bytes", total < 0 ? null : total);
            gpus.add(gpu);
        }
        environment.put("gpus", gpus);
        if (!watched.note().isEmpty()) {
            environment.put("devices_watched", watched.note());
        }
        for (SampleChannel channel : channels) {
            if (channel instanceof HostChannel host && host.limit() != null) {
                environment.put("memory_limit_bytes", host.limit().bytes());
                environment.put("memory_limit_source", host.limit().source());
            }
        }
        return environment;
    }

    /** A copy of the environment with the compute processes of the training GPUs. */
    static Map<String, Object> withProcesses(
            Map<String, Object> environment, Map<String, Object> processes) {
        if (processes.isEmpty()) {
            return environment;
        }
        Map<String, Object> copy = new LinkedHashMap<>(environment);
        copy.put("gpu_processes_at_end", processes);
        return copy;
    }

    /** The process's cgroup memory limit, when there is one below the machine's memory. */
    static MemoryLimit cgroupLimit() {
        return MemoryLimit.fromCgroup().orElse(null);
    }
}
