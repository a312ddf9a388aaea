package io.trainsight.insight.timeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training loop tells its listeners when a run begins: the time origin and, where the loop
 * knows them, its plan, the devices it trains on, its settings and its environment. The insight
 * takes its planned length, device, configuration and name from here, so a user of the loop never
 * repeats them.
 *
 * @param originNanos the run's time origin on {@link System#nanoTime()}
 * @param firstStep the optimizer steps done before this run began: 0 for a fresh run, the
 *     checkpoint's step for a resumed one
 * @param plannedSteps the step the run ends at, or -1 when unknown
 * @param runName the run's name, such as the model's
 * @param devices the devices the run trains on; empty when unknown
 * @param configuration the run's settings by name (precision, accumulation, seed …)
 * @param environment facts about the engine and the machine by name (the insight reads {@code
 *     engine_threads} and {@code loader_workers} for its contention finding)
 * @param modelManager the model's NDManager (its parameters, the trainer's manager and whatever the
 *     training code attaches to them), whose live NDArrays the insight counts after every step;
 *     null when unknown
 */
public record RunStart(
        long originNanos,
        long firstStep,
        long plannedSteps,
        String runName,
        List<Device> devices,
        Map<String, Object> configuration,
        Map<String, Object> environment,
        NDManager modelManager) {

    /** Copies the lists and maps, keeping their order. */
    public RunStart {
        devices = List.copyOf(devices);
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * Returns the start of a fresh run of which only the time origin is known.
     *
     * @param originNanos the run's time origin on {@link System#nanoTime()}
     * @return the start
     */
    public static RunStart at(long originNanos) {
        return new RunStart(originNanos, 0, -1, null, List.of(), Map.of(), Map.of(), null);
    }

    /**
     * Returns whether the run continues an earlier one from a checkpoint.
     *
     * @return whether steps were done before this run began
     */
    public boolean resumed() {
        return firstStep > 0;
    }
}
