package com.example.consumer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.trainer.TrainingLoop;
import java.nio.file.Path;

/** The README's example, as a user writes it: a model, its data, and one switch for the insight. */
public final class Train {

    public static void main(String[] args) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("regression")) {
            NDArray x = manager.randomUniform(-1, 1, new Shape(1024, 8));
            ArrayDataset data = new ArrayDataset.Builder().setData(x)
                    .optLabels(x.sum(new int[] {1}, true)).setSampling(32, true).build();
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(64).build())
                    .add(Activation::relu).add(Linear.builder().setUnits(1).build()));
            try (TrainingLoop loop = TrainingLoop.builder().setModel(model)
                    .setLoss(Loss.l2Loss()).setOptimizer(Optimizer.adam().build())
                    .setTrainingSet(data).setInputShapes(new Shape(32, 8)).optEpochs(3)
                    .optRunDirectory(Path.of(args.length > 0 ? args[0] : "runs/regression"))
                    .build()) {
                loop.run();
            }
        }
    }
}
