package io.trainsight.cli.doctor;

import io.trainsight.gpu.DeviceInfo;
import io.trainsight.gpu.DriverInfo;
import io.trainsight.gpu.GpuMetric;
import io.trainsight.gpu.GpuMonitor;
import io.trainsight.gpu.internal.cuda.CudaDevice;
import io.trainsight.gpu.internal.cuda.CudaDevices;
import io.trainsight.gpu.internal.cuda.DeviceMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the machine says about its GPUs: NVML (driver, CUDA version, every GPU with its UUID and PCI
 * bus id) and the CUDA driver (the devices CUDA shows this process, and which NVML GPU each is).
 *
 * @param gpus NVML's GPUs; empty without NVML
 * @param memoryTotal each GPU's memory, bytes (-1 unknown)
 * @param driver the driver's versions, or empty
 * @param nvmlError why NVML gives no GPU, or empty
 * @param cuda what the CUDA driver says
 * @param mapping each CUDA ordinal's NVML GPU
 */
record GpuFacts(
        List<DeviceInfo> gpus,
        List<Long> memoryTotal,
        Optional<DriverInfo> driver,
        Optional<String> nvmlError,
        CudaDevices cuda,
        DeviceMapping mapping) {

    /** Asks NVML and the CUDA driver. */
    static GpuFacts gather() {
        List<DeviceInfo> gpus;
        List<Long> memory = new ArrayList<>();
        Optional<DriverInfo> driver;
        Optional<String> error;
        try (GpuMonitor monitor = GpuMonitor.builder().build()) {
            monitor.sampleNow();
            gpus = monitor.devices();
            for (DeviceInfo gpu : gpus) {
                long total = monitor.ring().latestGpu(gpu.index(), GpuMetric.MEMORY_TOTAL);
                memory.add(total < 0 ? -1 : total);
            }
            driver = monitor.driver();
            error = monitor.noGpuReason();
        }
        CudaDevices cuda = CudaDevices.probe();
        List<Integer> ordinals = cuda.devices().stream().map(CudaDevice::ordinal).toList();
        DeviceMapping mapping = DeviceMapping.resolve(ordinals, gpus, cuda, System.getenv());
        return new GpuFacts(gpus, memory, driver, error, cuda, mapping);
    }

    boolean nvmlSeesGpus() {
        return !gpus.isEmpty();
    }

    Map<String, Object> nvmlJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("available", nvmlSeesGpus());
        map.put("driver_version", driver.map(DriverInfo::driverVersion).orElse(null));
        map.put("nvml_version", driver.map(DriverInfo::nvmlVersion).orElse(null));
        map.put("cuda_version", driver.map(DriverInfo::cudaVersion).orElse(null));
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            DeviceInfo gpu = gpus.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", gpu.index());
            entry.put("name", gpu.name());
            entry.put("uuid", gpu.uuid());
            entry.put("pci_bus_id", gpu.pciBusId());
            entry.put("memory_total_bytes", memoryTotal.get(i) < 0 ? null : memoryTotal.get(i));
            list.add(entry);
        }
        map.put("gpus", list);
        map.put("error", nvmlError.orElse(null));
        return map;
    }

    Map<String, Object> cudaJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("available", cuda.failure().isEmpty());
        map.put("library", cuda.library().isEmpty() ? null : cuda.library());
        map.put("version", cuda.driverVersion().isEmpty() ? null : cuda.driverVersion());
        map.put("cuda_visible_devices", System.getenv("CUDA_VISIBLE_DEVICES"));
        map.put("cuda_device_order", System.getenv("CUDA_DEVICE_ORDER"));
        List<Object> list = new ArrayList<>();
        for (CudaDevice device : cuda.devices()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ordinal", device.ordinal());
            entry.put("name", device.name());
            entry.put("uuid", device.uuid());
            entry.put("pci_bus_id", device.pciBusId());
            entry.put("nvml_index", mapping.byOrdinal().get(device.ordinal()));
            list.add(entry);
        }
        map.put("devices", list);
        map.put("error", cuda.failure().orElse(null));
        return map;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (nvmlSeesGpus()) {
            DriverInfo d = driver.orElseThrow();
            lines.add(
                    "NVML       driver "
                            + d.driverVersion()
                            + ", NVML "
                            + d.nvmlVersion()
                            + (d.cudaVersion().isEmpty() ? "" : ", CUDA " + d.cudaVersion())
                            + ", "
                            + gpus.size()
                            + " GPU(s)");
            for (int i = 0; i < gpus.size(); i++) {
                DeviceInfo gpu = gpus.get(i);
                lines.add(
                        "  gpu"
                                + gpu.index()
                                + "     "
                                + gpu.name()
                                + ", "
                                + gpu.uuid()
                                + ", PCI "
                                + gpu.pciBusId()
                                + (memoryTotal.get(i) < 0
                                        ? ""
                                        : String.format(
                                                java.util.Locale.ROOT,
                                                ", %.1f GiB",
                                                memoryTotal.get(i) / (double) (1L << 30))));
            }
        } else {
            lines.add("NVML       no GPU: " + nvmlError.orElse("NVML reports none"));
        }
        if (cuda.failure().isPresent()) {
            lines.add("CUDA       " + cuda.failure().get());
        } else {
            lines.add(
                    "CUDA       driver API "
                            + cuda.driverVersion()
                            + ", "
                            + cuda.devices().size()
                            + " device(s) visible to this process");
            for (CudaDevice device : cuda.devices()) {
                Integer index = mapping.byOrdinal().get(device.ordinal());
                lines.add(
                        "  cuda:"
                                + device.ordinal()
                                + "    "
                                + (index == null ? "not one of NVML's GPUs" : "= gpu" + index)
                                + " ("
                                + device.uuid()
                                + ", PCI "
                                + device.pciBusId()
                                + ")");
            }
        }
        return lines;
    }
}
