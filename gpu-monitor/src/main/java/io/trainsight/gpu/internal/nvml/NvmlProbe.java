package io.trainsight.gpu.internal.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.DriverInfo;
import io.trainsight.gpu.GpuProcess;
import io.trainsight.gpu.MonitorListener;
import io.trainsight.gpu.Probe;
import io.trainsight.gpu.SampleWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The probe of every NVIDIA GPU through NVML: initialises NVML once, fetches the handles once, and
 * samples each GPU into the ring every tick through preallocated native buffers.
 */
public final class NvmlProbe implements Probe {

    private final NvmlLibrary nvml;
    private final DriverInfo driver;
    private final List<NvmlDevice> devices;
    private final List<DeviceInfo> infos;
    private final long pcieIntervalNanos;
    private final Memory scratch = new Memory(NvmlStructs.SCRATCH_SIZE);
    private volatile boolean closed;

    private NvmlProbe(
            NvmlLibrary nvml, DriverInfo driver, List<NvmlDevice> devices, Duration pcieInterval) {
        this.nvml = nvml;
        this.driver = driver;
        this.devices = devices;
        this.infos = devices.stream().map(NvmlDevice::info).toList();
        this.pcieIntervalNanos = pcieInterval.toNanos();
    }

    /**
     * Opens NVML and fetches every GPU's handle, name and UUID.
     *
     * @param library the library's path or name; empty for the platform's default
     * @param pcieInterval how often to read PCIe throughput (each read blocks ~20 ms per direction
     *     in NVML); zero for every tick
     * @param events where to report unsupported metrics and lost GPUs
     * @return the probe
     * @throws NvmlException if NVML cannot be loaded or initialised, or cannot count the GPUs
     */
    public static NvmlProbe open(
            Optional<String> library, Duration pcieInterval, MonitorListener events) {
        NvmlLibrary nvml = NvmlLibrary.open(library);
        try {
            DriverInfo driver =
                    new DriverInfo(
                            nvml.string(new String[] {"nvmlSystemGetDriverVersion"}),
                            optionalString(nvml, "nvmlSystemGetNVMLVersion"),
                            DriverInfo.cudaVersion(cudaVersion(nvml)));
            Memory count = new Memory(4);
            int code =
                    nvml.call(nvml.function("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"), count);
            if (code != NvmlLibrary.SUCCESS) {
                throw nvml.error("nvmlDeviceGetCount_v2", code);
            }
            List<NvmlDevice> devices = new ArrayList<>();
            long ownPid = ProcessHandle.current().pid();
            for (int index = 0; index < count.getInt(0); index++) {
                devices.add(openDevice(nvml, events, index, ownPid));
            }
            NvmlProbe probe = new NvmlProbe(nvml, driver, List.copyOf(devices), pcieInterval);
            for (NvmlDevice device : devices) {
                if (!device.isLost()) {
                    device.readStatic(probe.scratch);
                }
            }
            return probe;
        } catch (RuntimeException e) {
            nvml.close();
            throw e;
        }
    }

    private static NvmlDevice openDevice(
            NvmlLibrary nvml, MonitorListener events, int index, long ownPid) {
        Memory handle = new Memory(Native.POINTER_SIZE);
        int code =
                nvml.call(
                        nvml.function(
                                "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"),
                        index,
                        handle);
        if (code != NvmlLibrary.SUCCESS) {
            // keep the index so the other GPUs keep NVML's numbering; this one is never sampled
            NvmlDevice device =
                    new NvmlDevice(
                            nvml, events, new DeviceInfo(index, "(unavailable)", ""), null, ownPid);
            device.markLost(nvml.error("nvmlDeviceGetHandleByIndex_v2", code).nvmlMessage());
            return device;
        }
        Pointer device = handle.getPointer(0);
        String name = nvml.string(new String[] {"nvmlDeviceGetName"}, device);
        String uuid = nvml.string(new String[] {"nvmlDeviceGetUUID"}, device);
        return new NvmlDevice(
                nvml,
                events,
                new DeviceInfo(index, name, uuid, pciBusId(nvml, device)),
                device,
                ownPid);
    }

    /** The PCI address, {@code 00000000:3B:00.0}; empty when the driver cannot tell. */
    private static String pciBusId(NvmlLibrary nvml, Pointer device) {
        Memory info = new Memory(NvmlStructs.PCI_INFO_SIZE);
        info.clear();
        int code =
                nvml.call(
                        nvml.function(
                                "nvmlDeviceGetPciInfo_v3",
                                "nvmlDeviceGetPciInfo_v2",
                                "nvmlDeviceGetPciInfo"),
                        device,
                        info);
        if (code != NvmlLibrary.SUCCESS) {
            return "";
        }
        return String.format(
                java.util.Locale.ROOT,
                "%08X:%02X:%02X.0",
                info.getInt(NvmlStructs.PCI_DOMAIN),
                info.getInt(NvmlStructs.PCI_BUS),
                info.getInt(NvmlStructs.PCI_DEVICE));
    }

    /** The newest CUDA version the driver supports, such as 12040; 0 when unknown. */
    private static int cudaVersion(NvmlLibrary nvml) {
        Memory version = new Memory(4);
        version.setInt(0, 0);
        int code =
                nvml.call(
                        nvml.function(
                                "nvmlSystemGetCudaDriverVersion_v2",
                                "nvmlSystemGetCudaDriverVersion"),
                        version);
        return code == NvmlLibrary.SUCCESS ? version.getInt(0) : 0;
    }

    private static String optionalString(NvmlLibrary nvml, String function) {
        try {
            return nvml.string(new String[] {function});
        } catch (NvmlException e) {
            return "";
        }
    }

    /**
     * Returns the loaded library's name or path.
     *
     * @return the name
     */
    public String libraryName() {
        return nvml.name();
    }

    @Override
    public List<DeviceInfo> devices() {
        return infos;
    }

    @Override
    public Optional<DriverInfo> driver() {
        return Optional.of(driver);
    }

    @Override
    public void sample(SampleWriter out) {
        if (closed) {
            return; // closed by a listener during this tick: NVML is shut down
        }
        long now = System.nanoTime();
        for (int i = 0; i < devices.size(); i++) {
            NvmlDevice device = devices.get(i);
            if (!device.isLost()) {
                device.sample(out, scratch, now, pcieIntervalNanos);
            }
        }
    }

    @Override
    public boolean isLost(int device) {
        return devices.get(device).isLost();
    }

    @Override
    public synchronized List<GpuProcess> processes(int device) {
        NvmlDevice gpu = devices.get(device);
        if (closed || gpu.isLost()) {
            return List.of();
        }
        return NvmlProcesses.list(nvml, gpu.handle());
    }

    /** Shuts NVML down (once). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            nvml.close();
        }
    }
}
