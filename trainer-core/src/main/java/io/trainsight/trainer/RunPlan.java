package io.trainsight.trainer;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.Trainer;
import io.trainsight.insight.timeline.RunStart;
import io.trainsight.trainer.engine.MklDispatch;
import io.trainsight.trainer.internal.feed.BatchFeed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link TrainingLoop} tells its listeners when a run begins: its plan and settings. */
final class RunPlan {

    private RunPlan() {}

    static RunStart start(
            LoopConfig config,
            BatchFeed feed,
            Trainer trainer,
            boolean channelsLast,
            long origin,
            long firstStep) {
        return new RunStart(
                origin,
                firstStep,
                plannedSteps(config, feed.batchesPerEpoch()),
                config.model().getName(),
                List.of(config.devices()),
                configuration(config, feed, channelsLast),
                environment(trainer),
                config.model().getNDManager());
    }

    /**
     * The step the run ends at: the step budget, or the epochs' steps when the data's length is
     * known and they come first; -1 when neither is known.
     */
    static long plannedSteps(LoopConfig config, long batchesPerEpoch) {
        long byEpochs = -1;
        if (batchesPerEpoch > 0 && config.maxEpochs() != Integer.MAX_VALUE) {
            long stepsPerEpoch = (batchesPerEpoch + config.accumulate() - 1) / config.accumulate();
            byEpochs = stepsPerEpoch * config.maxEpochs();
        }
        long bySteps = config.maxSteps() == Long.MAX_VALUE ? -1 : config.maxSteps();
        if (byEpochs < 0) {
            return bySteps;
        }
        return bySteps < 0 ? byEpochs : Math.min(byEpochs, bySteps);
    }

    private static Map<String, Object> configuration(
            LoopConfig config, BatchFeed feed, boolean channelsLast) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", config.model().getName());
        settings.put("loss", config.loss().getName());
        settings.put("optimizer", config.optimizer().getClass().getSimpleName());
        settings.put("steps", config.maxSteps() == Long.MAX_VALUE ? null : config.maxSteps());
        settings.put("epochs", config.maxEpochs() == Integer.MAX_VALUE ? null : config.maxEpochs());
        long batches = feed.batchesPerEpoch();
        settings.put("batches_per_epoch", batches < 0 ? null : batches);
        settings.put("accumulate", config.accumulate());
        settings.put("precision", config.precision().name().toLowerCase(java.util.Locale.ROOT));
        settings.put(
                "memory_format",
                channelsLast
                        ? MemoryFormat.CHANNELS_LAST.toString()
                        : MemoryFormat.CONTIGUOUS.toString());
        settings.put(
                "clip_norm", config.clipping().clipsNorm() ? config.clipping().maxNorm() : null);
        settings.put(
                "clip_value", config.clipping().clipsValue() ? config.clipping().maxValue() : null);
        settings.put("seed", config.seed());
        settings.put(
                "checkpoints",
                config.checkpointDir() == null ? null : config.checkpointDir().toString());
        return settings;
    }

    private static Map<String, Object> environment(Trainer trainer) {
        Engine engine = trainer.getManager().getEngine();
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("engine", engine.getEngineName() + " " + engine.getVersion());
        environment.put("djl", Engine.getDjlVersion());
        environment.put("device", trainer.getDevices()[0].toString());
        environment.put("cuda_gpus_seen", engine.getGpuCount());
        int threads =
                PtEngine.ENGINE_NAME.equals(engine.getEngineName()) ? JniUtils.getNumThreads() : 0;
        if (threads > 0) {
            environment.put("engine_threads", threads);
        }
        environment.put("mkl", MklDispatch.beforeEngineStart().unlabelled());
        return environment;
    }
}
