package io.trainsight.trainer;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies a loop's parameter values out of the engine, for comparisons. */
final class Parameters {

    private Parameters() {}

    static Map<String, float[]> of(TrainingLoop loop) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair :
                loop.getTrainer().getModel().getBlock().getParameters()) {
            values.put(
                    pair.getKey(),
                    pair.getValue().getArray().toType(DataType.FLOAT32, true).toFloatArray());
        }
        return values;
    }
}
