package io.trainsight.cli.train;

import io.trainsight.insight.timeline.TrainingResult;
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
    private final RunTally losses;
    private final Map<String, Float> heldOut;
    private final long heldOutSamples;
    private final String heldOutName;
    private final Path runDir;

    TrainSummary(
            String example,
            EngineInfo engine,
            TrainingResult result,
            RunTally losses,
            Map<String, Float> heldOut,
            long heldOutSamples,
            String heldOutName,
            Path runDir) {
        this.example = example;
        this.engine = engine;
        this.result = result;
        this.losses = losses;
        this.heldOut = heldOut;
        this.heldOutSamples = heldOutSamples;
        this.heldOutName = heldOutName;
        this.runDir = runDir;
    }

    void print(PrintWriter out) {
        long first = result.steps() - result.stepsThisRun() + 1;
        out.println(
                format(
                        "Trained %s: %s in %d epoch(s), %.1f s, %.1f steps/s on %s%s",
                        example,
                        first == 1
                                ? result.steps() + " steps"
                                : "steps " + first + "-" + result.steps() + " (resumed)",
                        result.epochs(),
                        result.elapsedNanos() / 1e9,
                        result.stepsPerSecond(),
                        engine.device(),
                        result.completed() ? "" : " (stopped: " + result.stopReason() + ")"));
        double firstLoss = losses.firstMean();
        double lastLoss = losses.lastMean();
        out.println(
                format(
                        "  loss      first %d steps %.4f -> last %d steps %.4f (%s)",
                        losses.window(),
                        firstLoss,
                        losses.window(),
                        lastLoss,
                        lastLoss < firstLoss
                                ? format("%.0f%% lower", 100 * (firstLoss - lastLoss) / firstLoss)
                                : "not lower"));
        if (losses.skipped() > 0 || losses.lossScale() != 1f) {
            out.println(
                    format(
                            "  fp16      %d step(s) skipped on inf/NaN gradients, loss scale now"
                                    + " %.0f",
                            losses.skipped(), losses.lossScale()));
        }
        for (Map.Entry<String, Float> entry : heldOut.entrySet()) {
            out.println(
                    format(
                            "  %-9s %s %.4f on %d samples",
                            heldOutName,
                            entry.getKey().toLowerCase(Locale.ROOT),
                            entry.getValue(),
                            heldOutSamples));
        }
        out.println("  step log  " + runDir.resolve("steps.jsonl"));
        if (result.lastCheckpoint() != null) {
            out.println("  checkpoint " + result.lastCheckpoint());
        }
        out.flush();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
