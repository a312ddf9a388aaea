package io.trainsight.examples.oomrisk;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.trainsight.examples.Example;
import io.trainsight.examples.ExampleData;
import io.trainsight.examples.ExampleSettings;
import io.trainsight.examples.mlp.MlpExample;

/**
 * The classic out-of-memory job: the mlp example whose model keeps 4 MiB alive on every training
 * step (a leak, see {@link RetainingBlock}), so memory grows step over step. On a GPU the leak
 * lives in device memory; on the CPU in the process's resident memory, measured against {@code
 * --memory-limit}. The OOM-risk finding is raised from the trend long before the limit is reached.
 * The limit is only measured, not enforced: the run goes on to its budget, and the memory is freed
 * when the run ends.
 */
public final class OomRiskExample implements Example {

    /** The memory kept alive per training step. */
    public static final long BYTES_PER_STEP = 4L << 20;

    private final MlpExample mlp = new MlpExample();
    private NDManager retained;

    @Override
    public String name() {
        return "oom-risk";
    }

    @Override
    public String description() {
        return "MLP on Gaussian clusters that keeps 4 MiB more alive every training step: memory"
                + " grows toward the limit";
    }

    @Override
    public ExampleData generate(ExampleSettings settings) {
        ExampleData data = mlp.generate(settings);
        retained = NDManager.newBaseManager(settings.device());
        NDManager store = retained;
        return new ExampleData(
                data.trainingSet(),
                data.heldOutSet(),
                data.sampleShape(),
                data.classes(),
                () -> {
                    try {
                        data.close();
                    } finally {
                        store.close();
                    }
                });
    }

    @Override
    public Block block(Shape sampleShape, int classes) {
        NDManager store = retained != null ? retained : NDManager.newBaseManager(Device.cpu());
        return new RetainingBlock(mlp.block(sampleShape, classes), store, BYTES_PER_STEP);
    }
}
