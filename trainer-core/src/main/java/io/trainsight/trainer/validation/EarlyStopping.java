package io.trainsight.trainer.validation;

import io.trainsight.insight.timeline.ValidationResult;

/**
 * Stops a run when a validation metric has not improved for {@code patience} validations in a row,
 * by more than {@code minDelta}.
 */
public final class EarlyStopping {

    private final String metric;
    private final boolean higherIsBetter;
    private final int patience;
    private final float minDelta;
    private float best;
    private int stale;

    private EarlyStopping(String metric, boolean higherIsBetter, int patience, float minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be 0 or more, got " + minDelta);
        }
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = higherIsBetter ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }

    /**
     * Stops when a metric that should fall (a loss) stops falling.
     *
     * @param metric the evaluator's name
     * @param patience the validations without improvement tolerated
     * @param minDelta the smallest change that counts as an improvement
     * @return the rule
     */
    public static EarlyStopping whenMinimized(String metric, int patience, float minDelta) {
        return new EarlyStopping(metric, false, patience, minDelta);
    }

    /**
     * Stops when a metric that should rise (an accuracy) stops rising.
     *
     * @param metric the evaluator's name
     * @param patience the validations without improvement tolerated
     * @param minDelta the smallest change that counts as an improvement
     * @return the rule
     */
    public static EarlyStopping whenMaximized(String metric, int patience, float minDelta) {
        return new EarlyStopping(metric, true, patience, minDelta);
    }

    /** Returns the metric watched. */
    public String getMetric() {
        return metric;
    }

    /** Returns the best value seen so far. */
    public float getBest() {
        return best;
    }

    /**
     * Records a validation.
     *
     * @param result the validation
     * @return whether the run should stop
     */
    public boolean shouldStop(ValidationResult result) {
        float value = result.get(metric);
        boolean improved = higherIsBetter ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
            stale = 0;
        } else {
            stale++;
        }
        return stale >= patience;
    }
}
