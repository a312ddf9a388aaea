package io.trainsight.gpu;

import io.trainsight.gpu.internal.host.HostProbe;
import io.trainsight.gpu.internal.nvml.NvmlException;
import io.trainsight.gpu.internal.nvml.NvmlProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a monitor's own probes: NVML where it loads and reports a GPU, then the host. Without a GPU
 * the reason is sent to the listeners once, as a {@link MonitorEvent.NoGpu}.
 */
final class ProbeDetection {

    /**
     * The probes opened, and why no GPU is sampled.
     *
     * @param probes NVML's (when it has GPUs), then the host's
     * @param noGpuReason the reason, or empty when NVML is in use
     */
    record Detected(List<Probe> probes, Optional<String> noGpuReason) {}

    private ProbeDetection() {}

    /**
     * Opens the probes.
     *
     * @param nvmlLibrary the library named by the builder; else the system property, else the
     *     environment variable, else the platform's default
     * @param pcieInterval how often NVML reads PCIe throughput
     * @param events the monitor's events
     * @return the probes and the reason there is no GPU
     */
    static Detected open(Optional<String> nvmlLibrary, Duration pcieInterval, EventLog events) {
        List<Probe> opened = new ArrayList<>();
        Optional<String> noGpu = Optional.empty();
        Optional<String> library =
                nvmlLibrary.or(
                        () ->
                                Settings.lookup(
                                        Settings.NVML_LIBRARY_PROPERTY, Settings.NVML_LIBRARY_ENV));
        try {
            NvmlProbe nvml = NvmlProbe.open(library, pcieInterval, events);
            if (nvml.devices().isEmpty()) {
                nvml.close();
                noGpu = Optional.of("NVML " + nvml.libraryName() + " reports no GPU");
            } else {
                opened.add(nvml);
            }
        } catch (NvmlException e) {
            noGpu = Optional.of(e.nvmlMessage());
        }
        noGpu.ifPresent(reason -> events.onEvent(new MonitorEvent.NoGpu(reason)));
        opened.add(HostProbe.open());
        return new Detected(opened, noGpu);
    }
}
