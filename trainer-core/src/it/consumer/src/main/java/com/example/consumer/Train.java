package com.example.consumer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.insight.log.StepLogWriter;
import io.trainsight.insight.timeline.TrainingResult;
import io.trainsight.trainer.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a user of trainer-core writes: a DJL model trained by trainsight's loop, steps logged. */
public final class Train {

    public static void main(String[] args) throws Exception {
        Path runDir = Files.createDirectories(Path.of(args[0]));
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
                            .build()) {
                TrainingResult result = loop.run();
                System.out.println(
                        "trained " + result.steps() + " steps, checkpoint " + result.lastCheckpoint());
            }
        }
    }
}
