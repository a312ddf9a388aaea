package io.trainsight.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The GPUs of a monitor's probes, numbered from 0 across the probes in their order, with the probe
 * and the probe's own index of each; the driver is the first probe's that reports one.
 */
final class DeviceIndex {

    private final List<DeviceInfo> devices;
    private final int[] probeOf;
    private final int[] localIndex;
    private final Optional<DriverInfo> driver;

    DeviceIndex(List<Probe> probes) {
        List<DeviceInfo> all = new ArrayList<>();
        int gpuCount = probes.stream().mapToInt(probe -> probe.devices().size()).sum();
        this.probeOf = new int[gpuCount];
        this.localIndex = new int[gpuCount];
        Optional<DriverInfo> firstDriver = Optional.empty();
        for (int p = 0; p < probes.size(); p++) {
            List<DeviceInfo> own = probes.get(p).devices();
            for (int local = 0; local < own.size(); local++) {
                probeOf[all.size()] = p;
                localIndex[all.size()] = local;
                DeviceInfo device = own.get(local);
                all.add(
                        new DeviceInfo(
                                all.size(), device.name(), device.uuid(), device.pciBusId()));
            }
            if (firstDriver.isEmpty()) {
                firstDriver = probes.get(p).driver();
            }
        }
        this.devices = List.copyOf(all);
        this.driver = firstDriver;
    }

    /** The GPUs, indexed from 0. */
    List<DeviceInfo> devices() {
        return devices;
    }

    /** The driver's versions, or empty when no probe reports them. */
    Optional<DriverInfo> driver() {
        return driver;
    }

    /** The position, among the probes, of the probe that samples a GPU. */
    int probeOf(int gpu) {
        return probeOf[gpu];
    }

    /** The GPU's index within its own probe. */
    int localIndex(int gpu) {
        return localIndex[gpu];
    }
}
