package io.trainsight.gpu.internal.cuda;

import io.trainsight.gpu.DriverInfo;
import io.trainsight.gpu.Settings;
import java.util.List;
import java.util.Optional;

/**
 * The GPUs CUDA shows this process, asked of the CUDA driver ({@code libcuda.so.1}), or why it
 * could not be asked. The library is the one named by the system property {@value
 * Settings#CUDA_LIBRARY_PROPERTY}, else the environment variable {@value
 * Settings#CUDA_LIBRARY_ENV}, else the platform's default.
 *
 * <pre>{@code
 * CudaDevices cuda = CudaDevices.probe();
 * cuda.devices().forEach(d -> System.out.println(d.ordinal() + " " + d.uuid() + " " + d.pciBusId()));
 * cuda.failure().ifPresent(System.out::println);   // e.g. libcuda.so.1 could not be loaded
 * }</pre>
 *
 * @param devices the devices, by ordinal; empty when the driver could not be asked
 * @param driverVersion the newest CUDA version the driver supports, such as {@code 12.4}; empty
 *     when unknown
 * @param library the driver library as loaded; empty when it was not
 * @param failure why the devices could not be listed; empty when they were
 */
public record CudaDevices(
        List<CudaDevice> devices, String driverVersion, String library, Optional<String> failure) {

    /** Copies the list. */
    public CudaDevices {
        devices = List.copyOf(devices);
    }

    /**
     * Asks the CUDA driver named by the settings.
     *
     * @return the devices, or the failure
     */
    public static CudaDevices probe() {
        return probe(Settings.lookup(Settings.CUDA_LIBRARY_PROPERTY, Settings.CUDA_LIBRARY_ENV));
    }

    /**
     * Asks a CUDA driver library.
     *
     * @param library a path or a name; empty for the platform's default
     * @return the devices, or the failure; never throws for a missing driver or GPU
     */
    public static CudaDevices probe(Optional<String> library) {
        CudaDriver driver;
        try {
            driver = CudaDriver.load(library);
        } catch (CudaException e) {
            return new CudaDevices(List.of(), "", "", Optional.of(e.getMessage()));
        }
        String version = DriverInfo.cudaVersion(driver.version());
        try {
            return new CudaDevices(driver.devices(), version, driver.name(), Optional.empty());
        } catch (CudaException e) {
            return new CudaDevices(List.of(), version, driver.name(), Optional.of(e.getMessage()));
        }
    }

    /**
     * Finds a device by ordinal.
     *
     * @param ordinal the CUDA ordinal
     * @return the device, or empty when CUDA shows no such device
     */
    public Optional<CudaDevice> device(int ordinal) {
        return devices.stream().filter(d -> d.ordinal() == ordinal).findFirst();
    }
}
