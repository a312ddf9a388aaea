package io.trainsight.examples.leak;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.mlp.MlpExample;

/**
 * The NDArray leak DJL users hit most: the mlp example's data, with a wider MLP (inputs → 512 → 512
 * → classes) that keeps each training step's layer outputs attached to the model's manager, so they
 * are never closed. Live arrays grow by three per step and native memory by about 260 KiB (batch
 * 64): the ndarray-leak finding names the model's manager and the line that keeps them, and with
 * {@code --memory-limit} the OOM trend follows. {@code leak-fixed} is the same job keeping only the
 * latest step's outputs (closing the previous ones): no finding.
 */
public final class LeakExample implements Example {

    static final int HIDDEN = 512;

    private final MlpExample mlp = new MlpExample();
    private final boolean fixed;

    /**
     * Creates the example.
     *
     * @param fixed whether the kept outputs are closed at the next step
     */
    public LeakExample(boolean fixed) {
        this.fixed = fixed;
    }

    @Override
    public String name() {
        return fixed ? "leak-fixed" : "leak";
    }

    @Override
    public String description() {
        return fixed
                ? "MLP 32-512-512-8 keeping only its latest step's outputs (the leak, fixed)"
                : "MLP 32-512-512-8 keeping every step's outputs attached to the model's manager:"
                        + " live NDArrays and memory grow step over step";
    }

    @Override
    public ExampleData generate(ExampleSettings settings) {
        return mlp.generate(settings);
    }

    @Override
    public Block block(Shape sampleShape, int classes) {
        return new KeepingMlp(HIDDEN, classes, fixed);
    }
}
