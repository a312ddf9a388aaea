package io.trainsight.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import io.trainsight.trainer.amp.LossScaler;
import io.trainsight.trainer.checkpoint.Checkpoint;
import io.trainsight.trainer.checkpoint.Checkpointer;
import io.trainsight.trainer.checkpoint.OptimizerState;
import io.trainsight.trainer.checkpoint.TrainingState;
import io.trainsight.trainer.internal.amp.MasterWeights;
import io.trainsight.trainer.internal.step.ParameterSet;
import io.trainsight.trainer.internal.step.StepRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Moves a loop's state into a checkpoint and back. */
final class TrainingCheckpoints {

    private static final NDIndex ALL = new NDIndex("...");

    private TrainingCheckpoints() {}

    static Path write(
            Checkpointer checkpointer, TrainingState state, StepRunner runner, Optimizer optimizer)
            throws IOException {
        ParameterSet parameters = runner.parameters();
        MasterWeights masters = runner.masters();
        Map<String, NDArray> values = new LinkedHashMap<>();
        Map<String, NDArray> masterValues = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            values.put(parameters.name(i), parameters.array(i));
            if (masters != null) {
                masterValues.put(parameters.name(i), masters.master(i));
            }
        }
        OptimizerState optimizerState = OptimizerState.capture(optimizer, parameters);
        return checkpointer.write(new Checkpoint(state, values, masterValues, optimizerState));
    }

    /**
     * Loads a checkpoint into the runner's parameters, the optimizer and the scaler.
     *
     * @return the saved position of the run
     */
    static TrainingState restore(
            Path file,
            NDManager manager,
            StepRunner runner,
            Optimizer optimizer,
            LossScaler scaler,
            Precision precision)
            throws IOException {
        Checkpoint checkpoint = Checkpointer.read(file, manager);
        try {
            TrainingState state = checkpoint.state();
            if (!state.precision().equals(precision.toString())) {
                throw new IllegalArgumentException(
                        "Checkpoint "
                                + file
                                + " was written by a "
                                + state.precision()
                                + " run; resume it with precision "
                                + state.precision()
                                + ", not "
                                + precision);
            }
            ParameterSet parameters = runner.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                parameters.array(i).set(ALL, saved(checkpoint.parameters(), parameters, i, file));
            }
            if (runner.masters() != null) {
                NDArray[] masters = new NDArray[parameters.size()];
                for (int i = 0; i < masters.length; i++) {
                    masters[i] = saved(checkpoint.masters(), parameters, i, file);
                }
                runner.masters().restore(masters);
                scaler.restore(state.lossScale(), state.cleanSteps());
            }
            checkpoint
                    .optimizer()
                    .restoreInto(optimizer, parameters, parameters.array(0).getDevice());
            // The optimizer now owns its state arrays: keep them out of the close below.
            checkpoint.optimizer().arrays().values().forEach(Map::clear);
            return state;
        } finally {
            checkpoint.close();
        }
    }

    private static NDArray saved(
            Map<String, NDArray> arrays, ParameterSet parameters, int i, Path file) {
        NDArray array = arrays.get(parameters.name(i));
        if (array == null) {
            throw new IllegalArgumentException(
                    "Checkpoint "
                            + file
                            + " has no value for parameter '"
                            + parameters.name(i)
                            + "': it was written for another model; it holds "
                            + arrays.keySet());
        }
        return array;
    }
}
