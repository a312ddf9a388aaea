package io.trainsight.trainer;

import io.trainsight.insight.RunInsight;

/** The insight {@link TrainingLoopBuilder#optRunDirectory} wires into a loop. */
final class RunDirectoryInsight {

    private RunDirectoryInsight() {}

    static RunInsight build(LoopConfig config) {
        RunInsight.Builder builder = RunInsight.builder().setRunDirectory(config.runDirectory());
        if (config.insightSettings() != null) {
            config.insightSettings().accept(builder);
        }
        return builder.build();
    }
}
