package io.trainsight.cli.train;

import ai.djl.Device;
import io.trainsight.examples.ExampleRun;
import io.trainsight.trainer.Precision;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.trainer.TrainingLoopBuilder;
import io.trainsight.trainer.clip.GradientClipping;
import java.nio.file.Path;

/** Turns a run's configuration into the training loop's builder. */
final class LoopSettings {

    private LoopSettings() {}

    static TrainingLoopBuilder builder(
            RunConfig config, ExampleRun run, Device trainOn, Path runDir) {
        TrainingLoopBuilder builder =
                TrainingLoop.builder()
                        .setModel(run.model())
                        .setLoss(run.loss())
                        .setOptimizer(run.optimizer())
                        .setInputShapes(run.inputShape())
                        .optDevices(trainOn)
                        .optSeed(config.seed())
                        .optPrecision(Precision.of(config.precision()))
                        .optAccumulate(config.accumulate())
                        .optClipping(
                                new GradientClipping(
                                        limit(config.clipNorm()), limit(config.clipValue())))
                        .optCheckpoints(
                                runDir.resolve("checkpoints"),
                                config.checkpointEvery(),
                                config.keepCheckpoints());
        if (config.steps() != null) {
            builder.optSteps(config.steps());
        }
        if (config.epochs() != null) {
            builder.optEpochs(config.epochs());
        }
        return builder;
    }

    private static float limit(Float value) {
        return value == null ? Float.POSITIVE_INFINITY : value;
    }
}
