package io.trainsight.gpu.internal.nvml;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the fake libnvidia-ml compiled from {@code src/test/c/fake_nvml.c}: scripts its devices,
 * values and return codes through its {@code fake_*} functions, and counts its calls. The binding
 * under test loads the same library (by path), so it sees what is scripted here.
 */
public final class FakeNvml {

    /** The two builds of the fake. */
    public enum Variant {
        /** Every symbol the binding uses. */
        CURRENT("libnvidia-ml-fake.so"),
        /**
         * An old driver: no _v2/_v3 symbols, no MemoryInfo_v2, no ClocksEventReasons, no
         * TemperatureV, no PciInfo_v3, no CUDA version, no process utilisation.
         */
        OLD_DRIVER("libnvidia-ml-fake-old.so"),
        /** A newer driver without the deprecated nvmlDeviceGetTemperature (TemperatureV only). */
        NVML13("libnvidia-ml-fake-nvml13.so"),
        /** A library with neither temperature call. */
        NO_TEMPERATURE("libnvidia-ml-fake-notemp.so");

        private final String file;

        Variant(String file) {
            this.file = file;
        }
    }

    /** NVML return codes the tests script. */
    public static final int NOT_SUPPORTED = 3;

    public static final int NO_PERMISSION = 4;
    public static final int DRIVER_NOT_LOADED = 9;
    public static final int UNKNOWN = 999;
    public static final int TIMEOUT = 10;

    private static final Map<String, Path> EXTRACTED = new java.util.HashMap<>();

    /**
     * The loaded builds, held for the life of the test JVM: JNA unloads a library nobody
     * references, and a fake reloaded after that has lost its script (a test that dropped its
     * FakeNvml would see no GPU, depending on when the collector ran).
     */
    private static final Set<NativeLibrary> LOADED = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final NativeLibrary library;

    private FakeNvml(Path path) {
        this.path = path;
        this.library = hold(path);
    }

    /**
     * Loads a fake library (the NVML fake or one beside it, such as the CUDA driver's) and keeps it
     * loaded for the life of the test JVM.
     *
     * @param path the library
     * @return JNA's handle of it
     */
    public static NativeLibrary hold(Path path) {
        NativeLibrary library = NativeLibrary.getInstance(path.toString());
        LOADED.add(library);
        return library;
    }

    /**
     * Loads a build of the fake and resets it.
     *
     * @param variant which build
     * @return the fake, with no device
     */
    public static FakeNvml load(Variant variant) {
        FakeNvml fake = new FakeNvml(path(variant));
        fake.reset();
        return fake;
    }

    /**
     * Returns the path of a build of the fake: in the test classes, or copied out of the test-jar.
     *
     * @param variant which build
     * @return the shared object's path
     */
    public static Path path(Variant variant) {
        return library(variant.file);
    }

    /**
     * Returns the path of one of the fake libraries built beside the fake NVML ({@code
     * libcuda-fake.so}, {@code libcudart-fake.so} …): in the test classes, or copied out of the
     * test-jar.
     *
     * @param file the library's file name
     * @return the shared object's path
     */
    public static synchronized Path library(String file) {
        return EXTRACTED.computeIfAbsent(file, FakeNvml::locate);
    }

    private static Path locate(String file) {
        String resource = "/fake-nvml/" + file;
        URL url = FakeNvml.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException(
                    resource + " is not on the class path; build gpu-monitor's tests (gcc)");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path copy = Files.createTempFile("trainsight-", "-" + file);
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the path the binding should load.
     *
     * @return the shared object
     */
    public Path path() {
        return path;
    }

    /** Forgets every device, value, scripted code and count. */
    public void reset() {
        call("fake_reset");
    }

    /**
     * Sets the number of devices, naming device {@code i} {@code Fake GPU i} with UUID {@code
     * GPU-fake-i}.
     *
     * @param count up to 8
     * @return this fake
     */
    public FakeNvml devices(int count) {
        call("fake_set_device_count", count);
        for (int i = 0; i < count; i++) {
            call("fake_set_device", i, "Fake GPU " + i, "GPU-fake-" + i);
            call("fake_set_pci", i, 0, 0x10 * (i + 1), 0);
        }
        return this;
    }

    /**
     * Renames a device and gives it another UUID.
     *
     * @param device the device
     * @param name its product name
     * @param uuid its UUID, such as {@code GPU-11111111-2222-3333-4444-555555555555}
     * @return this fake
     */
    public FakeNvml device(int device, String name, String uuid) {
        call("fake_set_device", device, name, uuid);
        return this;
    }

    /**
     * Sets a device's PCI address (by default bus 0x10 × (index + 1), domain 0, device 0).
     *
     * @param device the device
     * @param domain the PCI domain
     * @param bus the bus
     * @return this fake
     */
    public FakeNvml pci(int device, int domain, int bus) {
        call("fake_set_pci", device, domain, bus, 0);
        return this;
    }

    /**
     * Sets the CUDA version the driver reports (nvmlSystemGetCudaDriverVersion_v2).
     *
     * @param version such as 12080
     * @return this fake
     */
    public FakeNvml cudaVersion(int version) {
        call("fake_set_cuda_version", version);
        return this;
    }

    /**
     * Sets the SM utilisation each process set by {@link #processes} reports, in that order.
     *
     * @param device the device
     * @param percent the percentages
     * @return this fake
     */
    public FakeNvml processSm(int device, int... percent) {
        Memory buffer = new Memory(Math.max(4, 4L * percent.length));
        for (int i = 0; i < percent.length; i++) {
            buffer.setInt(4L * i, percent[i]);
        }
        call("fake_set_process_sm", device, percent.length, buffer);
        return this;
    }

    /**
     * Sets the driver and NVML versions.
     *
     * @param driver the driver's version
     * @param nvml NVML's version
     * @return this fake
     */
    public FakeNvml versions(String driver, String nvml) {
        call("fake_set_versions", driver, nvml);
        return this;
    }

    /**
     * Sets a value of a device.
     *
     * @param device the device
     * @param key one of the fake's keys ({@code util_gpu}, {@code mem_total}, {@code energy} …)
     * @param value the value
     * @return this fake
     */
    public FakeNvml set(int device, String key, long value) {
        int id = id("fake_key", key);
        call("fake_set_value", device, id, value);
        return this;
    }

    /**
     * Scripts the return code of a function for a device.
     *
     * @param function one of the fake's function names ({@code utilization}, {@code energy} …)
     * @param device the device, or -1 for the calls without one (init, count, versions)
     * @param code NVML's code, 0 for success
     * @return this fake
     */
    public FakeNvml fail(String function, int device, int code) {
        call("fake_set_return", id("fake_function", function), device, code);
        return this;
    }

    /**
     * Makes a device answer GPU_IS_LOST to everything, or stop doing so.
     *
     * @param device the device
     * @param lost whether it is lost
     * @return this fake
     */
    public FakeNvml lost(int device, boolean lost) {
        call("fake_set_lost", device, lost ? 1 : 0);
        return this;
    }

    /**
     * Sets the compute processes of a device.
     *
     * @param device the device
     * @param pids their ids
     * @param memory the memory of each, bytes ({@code -1} for NVML's "unknown")
     * @return this fake
     */
    public FakeNvml processes(int device, int[] pids, long[] memory) {
        Memory pidBuffer = new Memory(Math.max(4, 4L * pids.length));
        Memory memoryBuffer = new Memory(Math.max(8, 8L * memory.length));
        for (int i = 0; i < pids.length; i++) {
            pidBuffer.setInt(4L * i, pids[i]);
            memoryBuffer.setLong(8L * i, memory[i]);
        }
        call("fake_set_processes", device, pids.length, pidBuffer, memoryBuffer);
        return this;
    }

    /**
     * Counts the calls of a function since the last reset.
     *
     * @param function one of the fake's function names
     * @return the count
     */
    public long calls(String function) {
        return library.getFunction("fake_calls")
                .invokeLong(new Object[] {id("fake_function", function)});
    }

    /**
     * Returns how many times NVML was initialised and not shut down.
     *
     * @return the init count
     */
    public int initCount() {
        return library.getFunction("fake_init_count").invokeInt(new Object[0]);
    }

    private int id(String lookup, String name) {
        int id = library.getFunction(lookup).invokeInt(new Object[] {name});
        if (id < 0) {
            throw new IllegalArgumentException(lookup + ": the fake has no '" + name + "'");
        }
        return id;
    }

    private void call(String function, Object... args) {
        Function f = library.getFunction(function);
        f.invokeVoid(args);
    }
}
