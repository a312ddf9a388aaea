package io.trainsight.gpu.internal.cuda;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The few CUDA driver API calls ({@code libcuda.so.1}) that tell which physical GPU each CUDA
 * device ordinal is: {@code cuInit}, {@code cuDeviceGetCount}, {@code cuDeviceGet}, {@code
 * cuDeviceGetPCIBusId}, {@code cuDeviceGetUuid_v2} and {@code cuDeviceGetName}. The driver applies
 * {@code CUDA_VISIBLE_DEVICES} and {@code CUDA_DEVICE_ORDER} itself, exactly as for the engine in
 * the same process. {@code cuInit} creates no context and takes no device memory. Called once per
 * question, so plain JNA {@link Function}s.
 */
final class CudaDriver {

    private static final int SUCCESS = 0;
    private static final int TEXT_SIZE = 256;
    private static final String[] HEX = new String[256];

    static {
        for (int i = 0; i < HEX.length; i++) {
            HEX[i] = String.format(Locale.ROOT, "%02x", i);
        }
    }

    private final NativeLibrary library;

    private CudaDriver(NativeLibrary library) {
        this.library = library;
    }

    /**
     * Loads the driver library.
     *
     * @param name a path or a name; empty for the platform's default
     * @return the driver
     * @throws CudaException if it cannot be loaded
     */
    static CudaDriver load(Optional<String> name) {
        List<String> names =
                name.map(List::of)
                        .orElseGet(
                                () ->
                                        Platform.isWindows()
                                                ? List.of("nvcuda")
                                                : List.of("libcuda.so.1", "cuda"));
        UnsatisfiedLinkError first = null;
        for (String candidate : names) {
            try {
                return new CudaDriver(NativeLibrary.getInstance(candidate));
            } catch (UnsatisfiedLinkError e) {
                first = first == null ? e : first;
            }
        }
        throw new CudaException(
                String.join(" or ", names) + " could not be loaded" + reason(first));
    }

    /** The loader's own reason, in one line: JNA's second line is the first dlopen error. */
    private static String reason(UnsatisfiedLinkError error) {
        String message = error == null || error.getMessage() == null ? "" : error.getMessage();
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        return " (" + (lines.size() > 1 ? lines.get(1) : lines.get(0)) + ")";
    }

    /** Returns the library's name or path as loaded. */
    String name() {
        return library.getName();
    }

    /**
     * Initialises the driver and describes every device it shows this process, in ordinal order.
     *
     * @return the devices
     * @throws CudaException naming the call and the driver's error when one fails
     */
    List<CudaDevice> devices() {
        check("cuInit", call("cuInit", 0));
        Memory count = new Memory(4);
        check("cuDeviceGetCount", call("cuDeviceGetCount", count));
        List<CudaDevice> devices = new ArrayList<>();
        Memory handle = new Memory(4);
        Memory text = new Memory(TEXT_SIZE);
        Memory uuid = new Memory(16);
        for (int ordinal = 0; ordinal < count.getInt(0); ordinal++) {
            check("cuDeviceGet", call("cuDeviceGet", handle, ordinal));
            int device = handle.getInt(0);
            text.clear();
            check("cuDeviceGetPCIBusId", call("cuDeviceGetPCIBusId", text, TEXT_SIZE, device));
            String bus = text.getString(0);
            int code = call(optional("cuDeviceGetUuid_v2", "cuDeviceGetUuid"), uuid, device);
            String id = code == SUCCESS ? uuid(uuid) : "";
            text.clear();
            String name =
                    call("cuDeviceGetName", text, TEXT_SIZE, device) == SUCCESS
                            ? text.getString(0)
                            : "";
            devices.add(new CudaDevice(ordinal, name, id, bus));
        }
        return List.copyOf(devices);
    }

    /**
     * Returns the newest CUDA version the driver supports.
     *
     * @return such as 12040, or 0 when unknown
     */
    int version() {
        Memory version = new Memory(4);
        version.setInt(0, 0);
        return call("cuDriverGetVersion", version) == SUCCESS ? version.getInt(0) : 0;
    }

    /** Formats a {@code CUuuid} as NVML writes UUIDs: {@code GPU-xxxxxxxx-xxxx-…}. */
    static String uuid(Pointer bytes) {
        StringBuilder text = new StringBuilder("GPU-");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                text.append('-');
            }
            text.append(HEX[bytes.getByte(i) & 0xFF]);
        }
        return text.toString();
    }

    private int call(String function, Object... args) {
        return call(optional(function), args);
    }

    private int call(Optional<Function> function, Object... args) {
        return function.map(f -> f.invokeInt(args)).orElse(-1);
    }

    private Optional<Function> optional(String... names) {
        for (String name : names) {
            try {
                return Optional.of(library.getFunction(name));
            } catch (UnsatisfiedLinkError missing) {
                // an older driver: try the next name
            }
        }
        return Optional.empty();
    }

    private void check(String function, int code) {
        if (code == SUCCESS) {
            return;
        }
        if (code == -1) {
            throw new CudaException(name() + " has no " + function + "; is it the CUDA driver?");
        }
        throw new CudaException(function + " failed: " + describe(code));
    }

    /** Names a {@code CUresult}: {@code CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device…}. */
    private String describe(int code) {
        Memory text = new Memory(com.sun.jna.Native.POINTER_SIZE);
        String name = "";
        text.setPointer(0, null);
        if (call("cuGetErrorName", code, text) == SUCCESS && text.getPointer(0) != null) {
            name = text.getPointer(0).getString(0);
        }
        text.setPointer(0, null);
        String message = "";
        if (call("cuGetErrorString", code, text) == SUCCESS && text.getPointer(0) != null) {
            message = text.getPointer(0).getString(0);
        }
        return (name.isEmpty() ? "CUDA error" : name)
                + " ("
                + code
                + ")"
                + (message.isEmpty() ? "" : ": " + message);
    }
}
