package io.trainsight.insight;

import ai.djl.Device;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.internal.cuda.DeviceMapping;
import io.trainsight.gpu.internal.nvml.NvmlException;
import io.trainsight.insight.internal.correlate.GpuChannel;
import io.trainsight.insight.internal.correlate.HostChannel;
import io.trainsight.insight.internal.correlate.MemoryLimit;
import io.trainsight.insight.internal.correlate.SampleChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the monitor's devices a run is diagnosed on: the devices it trains on. A run on the CPU
 * is diagnosed on the host (the process's CPU and memory), whatever GPUs the machine has; a run on
 * CUDA devices on the NVML GPUs they are ({@link DeviceMapping}: CUDA's ordinals are not NVML's
 * indices). Every other GPU is context: listed in the report, never diagnosed. Without the run's
 * devices, every GPU is diagnosed (or the host, without one), and the report says the devices were
 * not given.
 *
 * @param channels the channels to diagnose, in order
 * @param roles for each NVML index, {@code training} or {@code context}
 * @param note how the devices were chosen, for the report; empty when plain
 */
record WatchedDevices(List<SampleChannel> channels, Map<Integer, String> roles, String note) {

    static final String TRAINING = "training";
    static final String CONTEXT = "context";

    static WatchedDevices of(GpuMonitor monitor, List<Device> training, MemoryLimit limit) {
        if (monitor == null) {
            return new WatchedDevices(List.of(), Map.of(), "");
        }
        List<DeviceInfo> gpus = monitor.devices();
        Map<Integer, String> roles = new LinkedHashMap<>();
        List<SampleChannel> channels = new ArrayList<>();
        if (training == null) {
            gpus.forEach(gpu -> channels.add(new GpuChannel(gpu)));
            gpus.forEach(gpu -> roles.put(gpu.index(), TRAINING));
            if (channels.isEmpty()) {
                channels.add(host(limit));
            }
            return new WatchedDevices(
                    channels,
                    roles,
                    gpus.isEmpty()
                            ? ""
                            : "the run's devices were not given: every GPU is diagnosed");
        }
        List<Integer> ordinals = new ArrayList<>();
        for (Device device : training) {
            if (device.isGpu()) {
                ordinals.add(device.getDeviceId());
            }
        }
        gpus.forEach(gpu -> roles.put(gpu.index(), CONTEXT));
        if (ordinals.isEmpty()) {
            channels.add(host(limit));
            return new WatchedDevices(
                    channels,
                    roles,
                    gpus.isEmpty()
                            ? ""
                            : "the run trains on the host; the machine's "
                                    + gpus.size()
                                    + " GPU(s) are context only");
        }
        if (gpus.isEmpty()) {
            return new WatchedDevices(
                    List.of(),
                    roles,
                    "the run trains on "
                            + training
                            + " but no GPU is sampled ("
                            + monitor.noGpuReason().orElse("no NVML")
                            + "): step timing only");
        }
        DeviceMapping mapping = DeviceMapping.resolve(ordinals, gpus);
        mapping.byOrdinal()
                .forEach(
                        (ordinal, index) -> {
                            if (!TRAINING.equals(roles.get(index))) {
                                roles.put(index, TRAINING);
                                channels.add(new GpuChannel(gpus.get(index), ordinal));
                            }
                        });
        String note = "CUDA devices matched to NVML's GPUs " + mapping.method();
        if (!mapping.problems().isEmpty()) {
            note += "; not matched: " + String.join("; ", mapping.problems());
        }
        if (channels.isEmpty()) {
            note += "; no GPU is diagnosed: step timing only";
        }
        return new WatchedDevices(channels, roles, note);
    }

    private static HostChannel host(MemoryLimit limit) {
        return new HostChannel(
                Runtime.getRuntime().availableProcessors(),
                limit != null ? limit : Environments.cgroupLimit());
    }

    /**
     * Lists the compute processes on the GPUs the run trains on, now, for the report.
     *
     * @param monitor the monitor, or null
     * @return by GPU id ({@code gpu0} …), each process's {@code pid}, {@code command}, {@code
     *     used_memory_bytes} (null when unknown) and {@code this_run}
     */
    Map<String, Object> processesNow(GpuMonitor monitor) {
        Map<String, Object> byGpu = new LinkedHashMap<>();
        if (monitor == null) {
            return byGpu;
        }
        long self = ProcessHandle.current().pid();
        roles.forEach(
                (index, role) -> {
                    if (!role.equals(TRAINING)) {
                        return;
                    }
                    List<Object> list = new ArrayList<>();
                    try {
                        for (GpuProcess process : monitor.processes(index)) {
                            Map<String, Object> entry = new LinkedHashMap<>();
                            entry.put("pid", process.pid());
                            entry.put("command", process.command());
                            entry.put(
                                    "used_memory_bytes",
                                    process.usedMemoryBytes() == GpuProcess.UNKNOWN_MEMORY
                                            ? null
                                            : process.usedMemoryBytes());
                            entry.put("this_run", process.pid() == self);
                            list.add(entry);
                        }
                    } catch (NvmlException e) {
                        return; // the driver would not tell: nothing to show
                    }
                    byGpu.put("gpu" + index, list);
                });
        return byGpu;
    }
}
