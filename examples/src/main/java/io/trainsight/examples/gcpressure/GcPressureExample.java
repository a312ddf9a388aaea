package io.trainsight.examples.gcpressure;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.mlp.MlpExample;

/**
 * A job that keeps the garbage collector busy: the mlp example whose training step also works on
 * the Java heap (a store of small objects holding half the heap, a slice of it replaced every step,
 * plus short-lived garbage; see {@link HeapChurn}). Run under a small heap, such as {@code
 * TRAINSIGHT_JAVA_OPTS=-Xmx256m}, the collector's pauses take a large share of every step: the gc
 * finding.
 */
public final class GcPressureExample implements Example {

    private final MlpExample mlp = new MlpExample();

    @Override
    public String name() {
        return "gc-pressure";
    }

    @Override
    public String description() {
        return "MLP on Gaussian clusters whose steps also churn half the Java heap: GC pauses"
                + " under a small -Xmx";
    }

    @Override
    public ExampleData generate(ExampleSettings settings) {
        return mlp.generate(settings);
    }

    @Override
    public Block block(Shape sampleShape, int classes) {
        return new ChurningBlock(
                mlp.block(sampleShape, classes), new HeapChurn(Runtime.getRuntime().maxMemory()));
    }
}
