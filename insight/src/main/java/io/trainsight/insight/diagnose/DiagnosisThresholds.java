package io.trainsight.insight.diagnose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thresholds of the diagnosis rules; the defaults follow the anchors in the README (TensorFlow
 * Profiler's input-bound shares, the PyTorch profiler's and the 30 % utilisation rules of thumb).
 * Build with {@link #builder()}; every value can also be set by name ({@link Builder#set}), as
 * {@code trainsight train --threshold NAME=VALUE} does.
 *
 * @param inputBoundHigh data-wait share of step time from which a run is highly input-bound
 * @param inputBoundModerate data-wait share from which a run is moderately input-bound
 * @param busyDuringWait a GPU this busy (percent) while a step waits is not idle, so the wait is
 *     not counted against the loader
 * @param lowUtilization utilisation (percent) below which a step counts as low
 * @param lowUtilizationShare share of steps that must be low for the low-utilisation finding
 * @param oomPeakShare memory peak, as a share of capacity, from which the OOM risk is raised
 * @param trendMinSteps steps the memory trend needs before it is trusted
 * @param trendMinR2 how straight (R²) the memory trend must be to be trusted
 * @param trendHorizonSteps steps ahead the memory trend looks at most (the run's remaining steps
 *     when fewer, or when its length is unknown this many)
 * @param throttledShare share of steps with throttle reasons for the throttling finding
 * @param throttleSlowdown throttled steps this much slower than the others make it a warning
 * @param windowSteps steps in the rolling window the live diagnosis evaluates
 * @param warmupSteps first steps of a run left out of every rule (start-up, pipeline fill)
 * @param clearRatio a live finding clears when its measure falls below this share of the threshold
 *     that raised it (hysteresis)
 * @param inputBoundMinMs data wait per step (milliseconds) below which no input-bound finding is
 *     raised, whatever its share: a hand-over from a loader thread, and the JVM's warm-up of the
 *     batch-building code, cost about as much, so loader workers cannot win such a wait back
 * @param sharedGpuShare other processes' memory, as a share of the GPU's usable memory, from which
 *     the shared-GPU finding is raised
 * @param signals the thresholds of the findings about the JVM and the host (GC, leaked NDArrays,
 *     slowdown, contention, stalls)
 */
public record DiagnosisThresholds(
        double inputBoundHigh,
        double inputBoundModerate,
        double busyDuringWait,
        double lowUtilization,
        double lowUtilizationShare,
        double oomPeakShare,
        int trendMinSteps,
        double trendMinR2,
        int trendHorizonSteps,
        double throttledShare,
        double throttleSlowdown,
        int windowSteps,
        int warmupSteps,
        double clearRatio,
        double sharedGpuShare,
        double inputBoundMinMs,
        SignalThresholds signals) {

    private static final List<String> OWN_NAMES =
            List.of(
                    "input-bound-high",
                    "input-bound-moderate",
                    "busy-during-wait",
                    "low-utilization",
                    "low-utilization-share",
                    "oom-peak-share",
                    "trend-min-steps",
                    "trend-min-r2",
                    "trend-horizon-steps",
                    "throttled-share",
                    "throttle-slowdown",
                    "window-steps",
                    "warmup-steps",
                    "clear-ratio",
                    "shared-gpu-share",
                    "input-bound-min-ms");

    /** The names {@link Builder#set} and {@link #toMap()} use, in order. */
    public static final List<String> NAMES = names();

    /** Checks the values, naming the first that is out of range. */
    public DiagnosisThresholds {
        share("input-bound-high", inputBoundHigh);
        share("input-bound-moderate", inputBoundModerate);
        if (inputBoundModerate > inputBoundHigh) {
            throw new IllegalArgumentException(
                    "input-bound-moderate ("
                            + inputBoundModerate
                            + ") must not exceed input-bound-high ("
                            + inputBoundHigh
                            + ")");
        }
        percent("busy-during-wait", busyDuringWait);
        percent("low-utilization", lowUtilization);
        share("low-utilization-share", lowUtilizationShare);
        share("oom-peak-share", oomPeakShare);
        atLeast("trend-min-steps", trendMinSteps, 3);
        share("trend-min-r2", trendMinR2);
        atLeast("trend-horizon-steps", trendHorizonSteps, 1);
        share("throttled-share", throttledShare);
        if (!(throttleSlowdown >= 1) || Double.isInfinite(throttleSlowdown)) {
            throw new IllegalArgumentException(
                    "throttle-slowdown must be a finite ratio of 1 or more, got "
                            + throttleSlowdown);
        }
        atLeast("window-steps", windowSteps, 4);
        atLeast("warmup-steps", warmupSteps, 0);
        share("clear-ratio", clearRatio);
        share("shared-gpu-share", sharedGpuShare);
        if (!(inputBoundMinMs >= 0) || Double.isInfinite(inputBoundMinMs)) {
            throw new IllegalArgumentException(
                    "input-bound-min-ms must be a finite number of milliseconds of 0 or more, got "
                            + inputBoundMinMs);
        }
        if (signals == null) {
            throw new IllegalArgumentException("signals must not be null");
        }
    }

    private static List<String> names() {
        List<String> names = new java.util.ArrayList<>(OWN_NAMES);
        names.addAll(SignalThresholds.NAMES);
        return List.copyOf(names);
    }

    private static void share(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    name + " must be a share above 0 and at most 1, got " + value);
        }
    }

    private static void percent(String name, double value) {
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException(
                    name + " must be a percentage above 0 and at most 100, got " + value);
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    name + " must be a whole number of " + min + " or more, got " + value);
        }
    }

    /**
     * Returns the defaults.
     *
     * @return the thresholds the README lists
     */
    public static DiagnosisThresholds defaults() {
        return builder().build();
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these values.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        toMap().forEach(builder::set);
        return builder;
    }

    /**
     * Returns every value by name, for summary.json.
     *
     * @return the values in {@link #NAMES} order
     */
    public Map<String, Double> toMap() {
        double[] values = {
            inputBoundHigh,
            inputBoundModerate,
            busyDuringWait,
            lowUtilization,
            lowUtilizationShare,
            oomPeakShare,
            trendMinSteps,
            trendMinR2,
            trendHorizonSteps,
            throttledShare,
            throttleSlowdown,
            windowSteps,
            warmupSteps,
            clearRatio,
            sharedGpuShare,
            inputBoundMinMs
        };
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(OWN_NAMES.get(i), values[i]);
        }
        map.putAll(signals.toMap());
        return map;
    }

    /** Collects thresholds; {@link #build()} checks them. */
    public static final class Builder {

        private final double[] values = {
            0.20, 0.05, 50, 30, 0.5, 0.90, 20, 0.5, 1000, 0.05, 1.10, 50, 5, 0.8, 0.25, 0.5
        };
        private final double[] signalValues = SignalThresholds.DEFAULTS.clone();

        private Builder() {}

        /**
         * Sets a threshold by name.
         *
         * @param name one of {@link #NAMES}
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException for an unknown name
         */
        public Builder set(String name, double value) {
            int index = OWN_NAMES.indexOf(name);
            int signal = SignalThresholds.NAMES.indexOf(name);
            if (index < 0 && signal < 0) {
                throw new IllegalArgumentException(
                        "unknown threshold '" + name + "'; valid: " + String.join(", ", NAMES));
            }
            if (index >= 0) {
                values[index] = value;
            } else {
                signalValues[signal] = value;
            }
            return this;
        }

        /**
         * Sets the data-wait shares of step time for highly and moderately input-bound.
         *
         * @param high default 0.20
         * @param moderate default 0.05
         * @return this builder
         */
        public Builder optInputBound(double high, double moderate) {
            return set("input-bound-high", high).set("input-bound-moderate", moderate);
        }

        /**
         * Sets the low-utilisation rule: a step is low below {@code percent}, and the finding needs
         * {@code share} of the steps low.
         *
         * @param percent default 30
         * @param share default 0.5
         * @return this builder
         */
        public Builder optLowUtilization(double percent, double share) {
            return set("low-utilization", percent).set("low-utilization-share", share);
        }

        /**
         * Sets the memory peak share of capacity that raises the OOM risk.
         *
         * @param share default 0.90
         * @return this builder
         */
        public Builder optOomPeakShare(double share) {
            return set("oom-peak-share", share);
        }

        /**
         * Sets the rolling window of the live diagnosis.
         *
         * @param steps default 50
         * @return this builder
         */
        public Builder optWindowSteps(int steps) {
            return set("window-steps", steps);
        }

        /**
         * Sets the steps at the start left out of every rule.
         *
         * @param steps default 5
         * @return this builder
         */
        public Builder optWarmupSteps(int steps) {
            return set("warmup-steps", steps);
        }

        /**
         * Sets the hysteresis: a live finding clears below this share of its threshold.
         *
         * @param ratio default 0.8
         * @return this builder
         */
        public Builder optClearRatio(double ratio) {
            return set("clear-ratio", ratio);
        }

        /**
         * Sets the share of a GPU's usable memory other processes must hold for the shared-GPU
         * finding.
         *
         * @param share default 0.25
         * @return this builder
         */
        public Builder optSharedGpuShare(double share) {
            return set("shared-gpu-share", share);
        }

        /**
         * Checks the values.
         *
         * @return the thresholds
         * @throws IllegalArgumentException naming the first value out of range
         */
        public DiagnosisThresholds build() {
            for (String name :
                    List.of(
                            "trend-min-steps",
                            "trend-horizon-steps",
                            "window-steps",
                            "warmup-steps")) {
                double value = values[OWN_NAMES.indexOf(name)];
                if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(
                            name + " must be a whole number, got " + value);
                }
            }
            return new DiagnosisThresholds(
                    values[0],
                    values[1],
                    values[2],
                    values[3],
                    values[4],
                    values[5],
                    (int) values[6],
                    values[7],
                    (int) values[8],
                    values[9],
                    values[10],
                    (int) values[11],
                    (int) values[12],
                    values[13],
                    values[14],
                    values[15],
                    SignalThresholds.of(signalValues));
        }
    }
}
