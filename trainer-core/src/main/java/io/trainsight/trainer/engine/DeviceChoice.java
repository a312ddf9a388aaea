package io.trainsight.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.Locale;

/** Which device a run trains on: the CPU, the first GPU, or the first GPU when there is one. */
public enum DeviceChoice {
    /** Always the CPU. */
    CPU,
    /** The first CUDA GPU; refused when the engine sees none. */
    GPU,
    /** The first CUDA GPU when the engine sees one, else the CPU. */
    AUTO;

    /**
     * Picks the device on the given engine.
     *
     * @param engine the engine that will train
     * @return the device to train on
     * @throws IllegalArgumentException if {@link #GPU} is asked for and the engine sees no GPU
     */
    public Device resolve(Engine engine) {
        int gpus = engine.getGpuCount();
        boolean cuda = gpus > 0 && engine.hasCapability(StandardCapabilities.CUDA);
        return resolve(gpus, cuda, engine.getEngineName());
    }

    /**
     * Picks the device given how many GPUs the engine sees and whether its native library can use
     * them: DJL counts GPUs through the CUDA runtime, whatever libtorch it loaded, so a CPU build
     * of libtorch on a GPU machine sees GPUs it cannot train on.
     *
     * @param gpus the number of CUDA GPUs the engine sees
     * @param cudaBuild whether the engine's native library has CUDA
     * @param engineName the engine's name, for the message
     * @return the device to train on
     * @throws IllegalArgumentException if {@link #GPU} is asked for and cannot be had
     */
    Device resolve(int gpus, boolean cudaBuild, String engineName) {
        if (gpus > 0 && !cudaBuild) {
            if (this == GPU) {
                throw new IllegalArgumentException(
                        "device 'gpu' was asked for, but the "
                                + engineName
                                + " engine's native library is a CPU build (it sees "
                                + gpus
                                + " GPU(s) it cannot use): set PYTORCH_LIBRARY_PATH to a CUDA"
                                + " torch's lib folder and PYTORCH_FLAVOR=cu128 (trainsight doctor"
                                + " says what is loaded); valid here: cpu, auto");
            }
            return Device.cpu();
        }
        return resolve(gpus, engineName);
    }

    /**
     * Picks the device given how many GPUs the engine sees.
     *
     * @param gpus the number of CUDA GPUs the engine sees
     * @param engineName the engine's name, for the message
     * @return the device to train on
     * @throws IllegalArgumentException if {@link #GPU} is asked for and there is no GPU
     */
    Device resolve(int gpus, String engineName) {
        switch (this) {
            case CPU:
                return Device.cpu();
            case GPU:
                if (gpus == 0) {
                    throw new IllegalArgumentException(
                            "device 'gpu' was asked for, but the "
                                    + engineName
                                    + " engine sees no CUDA GPU; valid here: cpu, auto");
                }
                return Device.gpu();
            case AUTO:
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new AssertionError(this);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
