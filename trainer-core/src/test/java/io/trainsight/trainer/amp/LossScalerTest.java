package io.trainsight.trainer.amp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void startsWithPyTorchsDefaults() {
        LossScaler scaler = new LossScaler();
        assertThat(scaler.getScale()).isEqualTo(65536f);
        for (int i = 0; i < 1999; i++) {
            scaler.update(false);
        }
        assertThat(scaler.getScale()).as("after 1999 clean steps").isEqualTo(65536f);
        scaler.update(false);
        assertThat(scaler.getScale()).as("after 2000 clean steps").isEqualTo(131072f);
        assertThat(scaler.getCleanSteps()).isZero();
    }

    @Test
    void followsGradScalersRulesOnAScriptedSequence() {
        LossScaler scaler = new LossScaler(1024f, 3);
        // o = overflow (halve, reset), . = clean (grow after 3 in a row)
        String script = "o..o...o.....oo";
        List<Float> scales = new ArrayList<>();
        for (char c : script.toCharArray()) {
            scaler.update(c == 'o');
            scales.add(scaler.getScale());
        }
        assertThat(scales)
                .containsExactly(
                        512f, 512f, 512f, // o . .
                        256f, 256f, 256f, 512f, // o . . . (grows on the third clean step)
                        256f, 256f, 256f, 512f, 512f, 512f, // o . . . . .
                        256f, 128f); // o o
    }

    @Test
    void restoresASavedStateAndChecksIt() {
        LossScaler scaler = new LossScaler(1024f, 3);
        scaler.restore(64f, 2);
        scaler.update(false);
        assertThat(scaler.getScale()).isEqualTo(128f);
        assertThatThrownBy(() -> scaler.restore(0f, 0)).hasMessageContaining("scale");
        assertThatThrownBy(() -> scaler.restore(1f, 3)).hasMessageContaining("cleanSteps");
        assertThatThrownBy(() -> new LossScaler(Float.POSITIVE_INFINITY, 3))
                .hasMessageContaining("initialScale");
    }
}
