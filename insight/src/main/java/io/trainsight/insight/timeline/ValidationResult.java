package io.trainsight.insight.timeline;

import java.util.Map;

/**
 * The evaluators' values after a step.
 *
 * @param step the optimizer steps done when the model was evaluated
 * @param epoch the epoch the step belongs to
 * @param values each evaluator's value, by evaluator name
 * @param durationNanos how long the evaluation took
 */
public record ValidationResult(
        long step, int epoch, Map<String, Float> values, long durationNanos) {

    /**
     * Returns an evaluator's value.
     *
     * @param name the evaluator's name, e.g. {@code Accuracy}
     * @return the value
     * @throws IllegalArgumentException naming the evaluators there are
     */
    public float get(String name) {
        Float value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "No evaluator named '" + name + "'; valid: " + values.keySet());
        }
        return value;
    }
}
