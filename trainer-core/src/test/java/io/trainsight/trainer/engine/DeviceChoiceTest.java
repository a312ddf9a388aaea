package io.trainsight.trainer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    @Test
    void cpuIsAlwaysTheCpu() {
        assertThat(DeviceChoice.CPU.resolve(0, "PyTorch")).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.CPU.resolve(2, "PyTorch")).isEqualTo(Device.cpu());
    }

    @Test
    void autoTakesTheFirstGpuWhenThereIsOne() {
        assertThat(DeviceChoice.AUTO.resolve(0, "PyTorch")).isEqualTo(Device.cpu());
        assertThat(DeviceChoice.AUTO.resolve(2, "PyTorch")).isEqualTo(Device.gpu(0));
    }

    @Test
    void gpuWithoutAGpuSaysWhatIsValid() {
        assertThat(DeviceChoice.GPU.resolve(1, "PyTorch")).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> DeviceChoice.GPU.resolve(0, "PyTorch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "device 'gpu' was asked for, but the PyTorch engine sees no CUDA GPU;"
                                + " valid here: cpu, auto");
    }

    @Test
    void aCpuBuildOfLibtorchThatSeesGpusTrainsOnTheCpu() {
        assertThat(DeviceChoice.AUTO.resolve(2, false, "PyTorch"))
                .as("DJL counts GPUs through libcudart, whatever libtorch it loaded")
                .isEqualTo(Device.cpu());
        assertThat(DeviceChoice.AUTO.resolve(2, true, "PyTorch")).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> DeviceChoice.GPU.resolve(2, false, "PyTorch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "device 'gpu' was asked for, but the PyTorch engine's native library is a"
                                + " CPU build (it sees 2 GPU(s) it cannot use)");
    }

    @Test
    void theEngineInfoLineNamesEngineVersionAndDevice() {
        Engine engine = Engine.getInstance();
        EngineInfo info = EngineInfo.of(engine, Device.cpu());
        assertThat(info.engineName()).isEqualTo("PyTorch");
        assertThat(info.engineVersion()).isEqualTo("2.7.1");
        assertThat(info.describe())
                .startsWith("PyTorch 2.7.1 engine (DJL 0.36.0) training on cpu(); ")
                .contains("GPU");
        assertThat(new EngineInfo("PyTorch", "2.7.1", "0.36.0", Device.gpu(0), 2).describe())
                .isEqualTo(
                        "PyTorch 2.7.1 engine (DJL 0.36.0) training on gpu(0); 2 CUDA GPUs"
                                + " visible");
    }
}
