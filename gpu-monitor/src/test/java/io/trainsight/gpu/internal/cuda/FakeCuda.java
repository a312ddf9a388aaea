package io.trainsight.gpu.internal.cuda;

import com.sun.jna.NativeLibrary;
import io.trainsight.gpu.internal.nvml.FakeNvml;
import java.nio.file.Path;
import java.util.List;

/**
 * Drives the fake libcuda compiled from {@code src/test/c/fake_cuda.c}: it answers from environment
 * variables read at every {@code cuInit}, set here in this process's native environment (so the
 * Java snapshot {@link System#getenv()} does not see them). {@link #reset()} unsets them all.
 */
public final class FakeCuda {

    private static final List<String> VARIABLES =
            List.of(
                    "FAKE_CUDA_DEVICES",
                    "FAKE_CUDA_INIT_ERROR",
                    "FAKE_CUDA_DRIVER",
                    "CUDA_VISIBLE_DEVICES",
                    "CUDA_DEVICE_ORDER");

    private final NativeLibrary library;

    private FakeCuda() {
        this.library = FakeNvml.hold(path());
    }

    /**
     * Loads the fake with no GPU and no variable set.
     *
     * @return the fake
     */
    public static FakeCuda load() {
        FakeCuda fake = new FakeCuda();
        fake.reset();
        return fake;
    }

    /**
     * Returns the path of the fake library, for {@link CudaDevices#probe(java.util.Optional)} or
     * {@code trainsight.cuda.library}.
     *
     * @return the shared object
     */
    public static Path path() {
        return FakeNvml.library("libcuda-fake.so");
    }

    /**
     * Returns the path of the fake CUDA runtime, {@code libcudart-fake.so}.
     *
     * @return the shared object
     */
    public static Path runtimePath() {
        return FakeNvml.library("libcudart-fake.so");
    }

    /**
     * Sets the machine's GPUs, in the driver's fastest-first order.
     *
     * @param gpus each {@code UUID@PCI-BUS-ID}
     * @return this fake
     */
    public FakeCuda gpus(String... gpus) {
        return set("FAKE_CUDA_DEVICES", String.join(",", gpus));
    }

    /**
     * Sets an environment variable of this process (native environment).
     *
     * @param name the variable
     * @param value the value, or null to unset it
     * @return this fake
     */
    public FakeCuda set(String name, String value) {
        library.getFunction("fake_cuda_setenv").invokeInt(new Object[] {name, value});
        return this;
    }

    /** Unsets every variable the fake reads. */
    public void reset() {
        for (String variable : VARIABLES) {
            set(variable, null);
        }
    }
}
