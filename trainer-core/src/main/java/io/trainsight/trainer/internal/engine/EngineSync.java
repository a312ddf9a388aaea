package io.trainsight.trainer.internal.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.trainsight.trainer.internal.step.PhaseClock;
import java.util.Arrays;

/**
 * Waits for CUDA devices through the engine: DJL's PyTorch engine has no synchronize call, but a
 * device-to-host copy does it. libtorch queues every kernel of the loop on the device's current
 * stream, and copies a tensor to the host on that same stream and waits for it, so reading one
 * element of a tiny array kept on each device returns only once everything queued before it is done
 * (what {@code torch.cuda.synchronize()} would give for that stream).
 */
public final class EngineSync implements PhaseClock.DeviceSync, AutoCloseable {

    private final NDArray[] probes;

    /**
     * Creates the probes.
     *
     * @param manager a manager that lives as long as the loop (the trainer's)
     * @param devices the CUDA devices to wait for
     */
    public EngineSync(NDManager manager, Device[] devices) {
        probes = new NDArray[devices.length];
        for (int i = 0; i < devices.length; i++) {
            probes[i] = manager.zeros(new Shape(1), DataType.FLOAT32, devices[i]);
        }
    }

    /**
     * Makes the synchronizer of a run's devices.
     *
     * @param manager the trainer's manager
     * @param devices the run's devices
     * @return the synchronizer, or null when no device is a GPU (host time is device time there)
     */
    public static EngineSync of(NDManager manager, Device[] devices) {
        Device[] gpus = Arrays.stream(devices).filter(Device::isGpu).toArray(Device[]::new);
        return gpus.length == 0 ? null : new EngineSync(manager, gpus);
    }

    @Override
    public void synchronize() {
        for (NDArray probe : probes) {
            probe.toFloatArray(); // a device-to-host copy on the device's stream: waits for its
            // queue
        }
    }

    @Override
    public void close() {
        for (NDArray probe : probes) {
            probe.close();
        }
    }
}
