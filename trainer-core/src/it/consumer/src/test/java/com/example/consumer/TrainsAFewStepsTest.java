package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.insight.timeline.StepListener;
import io.trainsight.trainer.TrainingLoop;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.timeline.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user of trainer-core writes: a DJL model trained by trainsight's loop. */
class TrainsAFewStepsTest {

    @Test
    void trainsFiveStepsAndLogsThem() throws Exception {
        Path runDir = Files.createTempDirectory("consumer-run");
        List<StepRecord> steps = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("linear");
                StepLogWriter log = new StepLogWriter(runDir.resolve("steps.jsonl"))) {
            NDArray x = manager.randomUniform(-1, 1, new Shape(40, 3));
            NDArray y = x.sum(new int[] {1}, true);
            ArrayDataset dataset =
                    new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(8, true).build();
            model.setBlock(Linear.builder().setUnits(1).build());
            try (TrainingLoop loop =
                    TrainingLoop.builder()
                            .setModel(model)
                            .setLoss(Loss.l2Loss())
                            .setOptimizer(Optimizer.adam().build())
                            .setInputShapes(new Shape(8, 3))
                            .setTrainingSet(dataset)
                            .optSteps(5)
                            .optCheckpoints(runDir.resolve("checkpoints"), 0, 1)
                            .addListener(log)
                            .addListener(
                                    new StepListener() {
                                        @Override
                                        public void onStep(StepRecord step) {
                                            steps.add(step);
                                        }
                                    })
                            .build()) {
                TrainingResult result = loop.run();
                assertEquals(5, result.steps());
                assertTrue(Files.exists(result.lastCheckpoint()));
            }
        }
        assertEquals(5, steps.size());
        assertTrue(steps.stream().allMatch(s -> Float.isFinite(s.loss())));
        assertEquals(5, Files.readAllLines(runDir.resolve("steps.jsonl")).size());
    }
}
