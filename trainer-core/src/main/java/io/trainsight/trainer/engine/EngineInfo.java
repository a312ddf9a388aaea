package io.trainsight.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The engine a run trains on, as a user should see it in one line.
 *
 * @param engineName the engine's name, e.g. {@code PyTorch}
 * @param engineVersion the version of the native library, e.g. {@code 2.7.1}
 * @param djlVersion the version of DJL
 * @param device the device the run trains on
 * @param gpuCount the number of CUDA GPUs the engine sees
 */
public record EngineInfo(
        String engineName, String engineVersion, String djlVersion, Device device, int gpuCount) {

    /**
     * Describes the given engine training on the given device.
     *
     * @param engine the engine
     * @param device the device the run trains on
     * @return the description
     */
    public static EngineInfo of(Engine engine, Device device) {
        return new EngineInfo(
                engine.getEngineName(),
                engine.getVersion(),
                Engine.getDjlVersion(),
                device,
                engine.getGpuCount());
    }

    /** Returns one line naming the engine, its version, the device and the GPUs seen. */
    public String describe() {
        String gpus =
                gpuCount == 0
                        ? "no CUDA GPU visible"
                        : gpuCount + (gpuCount == 1 ? " CUDA GPU" : " CUDA GPUs") + " visible";
        return String.format(
                "%s %s engine (DJL %s) training on %s; %s",
                engineName, engineVersion, djlVersion, device, gpus);
    }
}
