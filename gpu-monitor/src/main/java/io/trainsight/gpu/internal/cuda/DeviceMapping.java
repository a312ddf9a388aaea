package io.trainsight.gpu.internal.cuda;

import io.trainsight.gpu.DeviceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which of NVML's GPUs a run's CUDA devices are. NVML numbers every GPU in PCI bus order; CUDA
 * numbers only those {@code CUDA_VISIBLE_DEVICES} leaves (by index or UUID), fastest first unless
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, so {@code cuda:0} is NVML's GPU 0 only by chance. The CUDA
 * driver, which applies both variables itself, tells each ordinal's PCI bus id and UUID; they are
 * matched to NVML's. Without the driver, the variables are read here: a UUID names the GPU; an
 * index does where the order is known (PCI bus order, or one GPU).
 *
 * <pre>{@code
 * DeviceMapping mapping = DeviceMapping.resolve(List.of(0), monitor.devices());
 * mapping.nvmlIndices();   // [3] under CUDA_VISIBLE_DEVICES=3
 * }</pre>
 *
 * @param byOrdinal the NVML index of each CUDA ordinal that could be matched, in ordinal order
 * @param method how they were matched, in words
 * @param problems the ordinals that could not be matched, and why; empty when all were
 */
public record DeviceMapping(Map<Integer, Integer> byOrdinal, String method, List<String> problems) {

    /** Copies the map (keeping its order) and the list. */
    public DeviceMapping {
        byOrdinal = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byOrdinal));
        problems = List.copyOf(problems);
    }

    /**
     * Returns the NVML indices matched, in ordinal order, without repeats.
     *
     * @return the indices
     */
    public List<Integer> nvmlIndices() {
        return byOrdinal.values().stream().distinct().toList();
    }

    /**
     * Matches CUDA ordinals to NVML's GPUs through the CUDA driver named by the settings, and this
     * process's environment.
     *
     * @param cudaOrdinals the ordinals the run trains on
     * @param nvml NVML's GPUs, as the monitor lists them
     * @return the mapping
     */
    public static DeviceMapping resolve(List<Integer> cudaOrdinals, List<DeviceInfo> nvml) {
        return resolve(cudaOrdinals, nvml, CudaDevices.probe(), System.getenv());
    }

    /**
     * Matches CUDA ordinals to NVML's GPUs.
     *
     * @param cudaOrdinals the ordinals the run trains on
     * @param nvml NVML's GPUs
     * @param cuda what the CUDA driver said
     * @param environment the process's environment ({@code CUDA_VISIBLE_DEVICES}, {@code
     *     CUDA_DEVICE_ORDER}), read when the driver could not be asked
     * @return the mapping
     */
    public static DeviceMapping resolve(
            List<Integer> cudaOrdinals,
            List<DeviceInfo> nvml,
            CudaDevices cuda,
            Map<String, String> environment) {
        Map<Integer, Integer> found = new java.util.LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String method;
        if (cuda.failure().isEmpty()) {
            method = "by PCI bus id and UUID through the CUDA driver (" + cuda.library() + ")";
            for (int ordinal : cudaOrdinals) {
                Optional<CudaDevice> device = cuda.device(ordinal);
                if (device.isEmpty()) {
                    problems.add(
                            "cuda:"
                                    + ordinal
                                    + " is not among the "
                                    + cuda.devices().size()
                                    + " device(s) the CUDA driver shows this process");
                    continue;
                }
                int index = byDriver(device.get(), nvml);
                if (index < 0) {
                    problems.add(
                            "cuda:"
                                    + ordinal
                                    + " ("
                                    + device.get().uuid()
                                    + ", PCI "
                                    + device.get().pciBusId()
                                    + ") is none of NVML's GPUs");
                } else {
                    found.put(ordinal, index);
                }
            }
        } else {
            method =
                    "from CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER (the CUDA driver could not be"
                            + " asked: "
                            + cuda.failure().get()
                            + ")";
            for (int ordinal : cudaOrdinals) {
                int index = byEnvironment(ordinal, nvml, environment);
                if (index < 0) {
                    problems.add(
                            "cuda:"
                                    + ordinal
                                    + " cannot be told apart without the CUDA driver"
                                    + " (CUDA_VISIBLE_DEVICES="
                                    + environment.getOrDefault("CUDA_VISIBLE_DEVICES", "(unset)")
                                    + ", CUDA_DEVICE_ORDER="
                                    + environment.getOrDefault("CUDA_DEVICE_ORDER", "(unset)")
                                    + ", "
                                    + nvml.size()
                                    + " GPU(s))");
                } else {
                    found.put(ordinal, index);
                }
            }
        }
        return new DeviceMapping(found, method, problems);
    }

    /** NVML's index of a device the driver described: by PCI address, else by UUID; -1 if none. */
    private static int byDriver(CudaDevice device, List<DeviceInfo> nvml) {
        Optional<PciAddress> bus = PciAddress.parse(device.pciBusId());
        for (DeviceInfo gpu : nvml) {
            if (bus.isPresent() && bus.equals(PciAddress.parse(gpu.pciBusId()))) {
                return gpu.index();
            }
        }
        for (DeviceInfo gpu : nvml) {
            if (!device.uuid().isEmpty() && device.uuid().equalsIgnoreCase(gpu.uuid())) {
                return gpu.index();
            }
        }
        return -1;
    }

    /** NVML's index of an ordinal from the variables alone; -1 when they cannot tell. */
    private static int byEnvironment(
            int ordinal, List<DeviceInfo> nvml, Map<String, String> environment) {
        String visible = environment.get("CUDA_VISIBLE_DEVICES");
        boolean busOrder = "PCI_BUS_ID".equals(environment.get("CUDA_DEVICE_ORDER"));
        boolean orderKnown = busOrder || nvml.size() == 1;
        if (visible == null) {
            return orderKnown && ordinal < nvml.size() ? nvml.get(ordinal).index() : -1;
        }
        String[] entries = visible.split(",");
        if (ordinal >= entries.length) {
            return -1;
        }
        String entry = entries[ordinal].strip();
        if (entry.regionMatches(true, 0, "GPU-", 0, 4)) {
            int match = -1;
            for (DeviceInfo gpu : nvml) {
                if (gpu.uuid()
                        .toLowerCase(Locale.ROOT)
                        .startsWith(entry.toLowerCase(Locale.ROOT))) {
                    if (match >= 0) {
                        return -1; // an ambiguous prefix
                    }
                    match = gpu.index();
                }
            }
            return match;
        }
        try {
            int index = Integer.parseInt(entry);
            return orderKnown && index >= 0 && index < nvml.size() ? nvml.get(index).index() : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
