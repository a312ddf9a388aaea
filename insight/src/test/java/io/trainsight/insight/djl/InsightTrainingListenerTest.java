package io.trainsight.insight.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainsight.insight.diagnose.Advice;
import io.trainsight.insight.internal.report.SummaryJson;
import io.trainsight.leaky.KeepingBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain DJL training with EasyTrain.fit and the one listener added. */
class InsightTrainingListenerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(32).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(4).build());
    }

    /** Trains a block with EasyTrain.fit for two epochs of 32 batches, the listener added. */
    private static InsightTrainingListener fit(Path runDir, String name, Block block)
            throws IOException, TranslateException {
        InsightTrainingListener insight =
                InsightTrainingListener.builder()
                        .setRunDirectory(runDir)
                        .optPlannedSteps(2 * 32)
                        .optRunName(name)
                        .build();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance(name)) {
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.randomNormal(new Shape(512, 16)))
                            .optLabels(
                                    manager.randomInteger(
                                            0,
                                            4,
                                            new Shape(512),
                                            ai.djl.ndarray.types.DataType.FLOAT32))
                            .setSampling(16, true)
                            .build();
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addTrainingListeners(TrainingListener.Defaults.basic())
                            .addTrainingListeners(insight);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(16, 16));
                EasyTrain.fit(trainer, 2, data, null);
            }
        }
        return insight;
    }

    @Test
    void easyTrainFitGetsTheStepLogTheRowsAndTheReport() throws IOException, TranslateException {
        Path runDir = dir.resolve("djl-run");
        InsightTrainingListener insight = fit(runDir, "djl-mlp", mlp());

        List<String> steps = Files.readAllLines(runDir.resolve("steps.jsonl"));
        assertThat(steps).hasSize(64);
        JsonNode last = JSON.readTree(steps.get(63));
        assertThat(last.get("step").asLong()).isEqualTo(64);
        assertThat(last.get("epoch").asInt()).isEqualTo(2);
        assertThat(last.get("samples").asInt()).isEqualTo(16);
        assertThat(last.get("forward_ms").asDouble()).isPositive();
        assertThat(last.get("backward_ms").asDouble()).isPositive();
        assertThat(last.get("loss").asDouble()).isPositive();
        assertThat(last.get("devices").get(0).get("samples")).isNotNull();
        JsonNode summary = SummaryJson.read(runDir.resolve("summary.json"));
        assertThat(summary.at("/run/name").asText()).isEqualTo("djl-mlp");
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("ENDED");
        assertThat(summary.at("/totals/steps").asLong()).isEqualTo(64);
        assertThat(summary.at("/environment/trainer").asText()).contains("InsightTrainingListener");
        assertThat(runDir.resolve("report.html")).isNotEmptyFile();
        assertThat(insight.insight().report()).isNotNull();
        assertThat(steps)
                .as("the model's arrays are counted through DJL's listener too")
                .anySatisfy(
                        line ->
                                assertThat(JSON.readTree(line).at("/jvm/arrays").asLong())
                                        .isPositive());
        assertThat(last.at("/jvm/gc_ms").isNumber()).isTrue();
        assertThat(summary.get("findings").findValuesAsText("kind")).doesNotContain("ndarray-leak");
    }

    @Test
    void easyTrainFitKeepingItsOutputsGetsTheLeakFinding() throws IOException, TranslateException {
        Path runDir = dir.resolve("djl-leak");
        fit(runDir, "leaky", new KeepingBlock(mlp()));

        JsonNode summary = SummaryJson.read(runDir.resolve("summary.json"));
        JsonNode leak = null;
        for (JsonNode finding : summary.get("findings")) {
            if (finding.get("kind").asText().equals("ndarray-leak")) {
                leak = finding;
            }
        }
        assertThat(leak).as("findings: %s", summary.get("findings")).isNotNull();
        assertThat(leak.at("/evidence/arrays_per_step").asDouble()).isEqualTo(1.0);
        assertThat(leak.at("/evidence/growing_manager").asText()).isEqualTo("model 'leaky'");
        assertThat(leak.at("/evidence/allocation_site").asText())
                .startsWith("io.trainsight.leaky.KeepingBlock.forwardInternal(KeepingBlock.java:");
    }

    @Test
    void aTrainingThatThrowsIsNeverReportedAsEnded() throws Exception {
        Path incomplete = dir.resolve("incomplete");
        assertThatThrownBy(() -> fitFailingAtBatch(incomplete, false))
                .hasMessageContaining("broken batch");
        JsonNode summary = SummaryJson.read(incomplete.resolve("summary.json"));
        assertThat(summary.at("/run/stop_reason").asText())
                .as("the trainer closed in the middle of an epoch")
                .isEqualTo("INCOMPLETE");
        assertThat(summary.at("/totals/steps").asLong())
                .as("the steps before the failure, less than the epoch's 16")
                .isBetween(1L, 15L);

        Path failed = dir.resolve("failed");
        assertThatThrownBy(() -> fitFailingAtBatch(failed, true))
                .hasMessageContaining("broken batch");
        summary = SummaryJson.read(failed.resolve("summary.json"));
        assertThat(summary.at("/run/stop_reason").asText()).isEqualTo("FAILED");
        assertThat(summary.at("/run/failure").asText()).contains("broken batch");
    }

    @Test
    void adviceSpeaksToAPlainDjlUser() {
        String advice =
                Advice.DJL.resolve(
                        "more loader workers ({workers}), mixed precision ({amp}), {threads}");
        assertThat(advice)
                .doesNotContain("--")
                .contains("getData(manager, executor)")
                .contains("ai.djl.pytorch.num_threads");
    }

    /** Trains with EasyTrain on a block that throws in its fifth forward pass. */
    private static void fitFailingAtBatch(Path runDir, boolean report)
            throws IOException, TranslateException {
        InsightTrainingListener insight =
                InsightTrainingListener.builder()
                        .setRunDirectory(runDir)
                        .optSampleInterval(java.time.Duration.ofMillis(10))
                        .build();
        AtomicInteger calls = new AtomicInteger();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("failing")) {
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.randomNormal(new Shape(256, 8)))
                            .optLabels(manager.zeros(new Shape(256)))
                            .setSampling(16, false)
                            .build();
            model.setBlock(
                    new SequentialBlock()
                            .add(
                                    list -> {
                                        if (calls.incrementAndGet() == 5) {
                                            throw new IllegalStateException("broken batch");
                                        }
                                        return list;
                                    })
                            // Two layers: with one, the softmax loss's gradients sum to zero, and
                            // DJL's first step refuses gradients whose float sum is exactly 0.
                            .add(Linear.builder().setUnits(4).build())
                            .add(Linear.builder().setUnits(2).build()));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .addTrainingListeners(insight);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(16, 8));
                try {
                    EasyTrain.fit(trainer, 2, data, null);
                } catch (RuntimeException e) {
                    if (report) {
                        insight.recordFailure(e);
                    }
                    throw e;
                }
            }
        }
    }
}
