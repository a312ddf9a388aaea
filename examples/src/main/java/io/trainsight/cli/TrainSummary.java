package io.trainsight.cli;

import io.trainsight.trainer.TrainingResult;
import io.trainsight.trainer.engine.EngineInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The few lines {@code trainsight train} ends with: speed, the loss falling, held-out scores. */
final class TrainSummary {

    private final String example;
    private final EngineInfo engine;
    private final TrainingResult result;
    private final LossWindows losses;
    private final Map<String, Float> heldOut;
    private final long heldOutSamples;
    private final Path runDir;

    TrainSummary(
            String example,
            EngineInfo engine,
            TrainingResult result,
            LossWindows losses,
            Map<String, Float> heldOut,
            long heldOutSamples,
            Path runDir) {
        this.example = example;
        this.engine = engine;
        this.result = result;
        this.losses = losses;
        this.heldOut = heldOut;
        this.heldOutSamples = heldOutSamples;
        this.runDir = runDir;
    }

    void print(PrintWriter out) {
        out.println(
                format(
                        "Trained %s: %d steps in %d epoch(s), %.1f s, %.1f steps/s on %s",
                        example,
                        result.steps(),
                        result.epochs(),
                        result.elapsedNanos() / 1e9,
                        result.stepsPerSecond(),
                        engine.device()));
        double first = losses.firstMean();
        double last = losses.lastMean();
        out.println(
                format(
                        "  loss      first %d steps %.4f -> last %d steps %.4f (%s)",
                        losses.window(),
                        first,
                        losses.window(),
                        last,
                        last < first
                                ? format("%.0f%% lower", 100 * (first - last) / first)
                                : "not lower"));
        for (Map.Entry<String, Float> entry : heldOut.entrySet()) {
            out.println(
                    format(
                            "  held-out  %s %.4f on %d samples",
                            entry.getKey().toLowerCase(Locale.ROOT),
                            entry.getValue(),
                            heldOutSamples));
        }
        out.println("  step log  " + runDir.resolve("steps.jsonl"));
        out.flush();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
