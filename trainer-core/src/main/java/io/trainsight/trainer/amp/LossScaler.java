package io.trainsight.trainer.amp;

/**
 * Dynamic loss scaling with the rules of PyTorch's {@code GradScaler}: the loss is multiplied by
 * the scale before the backward pass so that small FP16 gradients do not flush to zero; a step
 * whose gradients hold an inf or a NaN is skipped and the scale halves; after {@code
 * growthInterval} clean steps in a row the scale doubles.
 *
 * <p>Defaults: initial scale 2<sup>16</sup>, growth factor 2, back-off factor 0.5, growth interval
 * 2000 steps. Not thread-safe: one scaler per training loop.
 */
public final class LossScaler {

    /** PyTorch's default initial scale, 2^16. */
    public static final float DEFAULT_INITIAL_SCALE = 65536f;

    /** PyTorch's default number of clean steps before the scale grows. */
    public static final int DEFAULT_GROWTH_INTERVAL = 2000;

    private static final float GROWTH_FACTOR = 2f;
    private static final float BACKOFF_FACTOR = 0.5f;

    private final int growthInterval;
    private float scale;
    private int cleanSteps;

    /** Creates a scaler with PyTorch's defaults. */
    public LossScaler() {
        this(DEFAULT_INITIAL_SCALE, DEFAULT_GROWTH_INTERVAL);
    }

    /**
     * Creates a scaler.
     *
     * @param initialScale the first scale, a positive finite number
     * @param growthInterval the number of clean steps in a row after which the scale doubles
     */
    public LossScaler(float initialScale, int growthInterval) {
        if (!(initialScale > 0) || Float.isInfinite(initialScale)) {
            throw new IllegalArgumentException(
                    "initialScale must be a positive finite number, got " + initialScale);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException(
                    "growthInterval must be at least 1, got " + growthInterval);
        }
        this.scale = initialScale;
        this.growthInterval = growthInterval;
    }

    /** Returns the scale the next step's loss is multiplied by. */
    public float getScale() {
        return scale;
    }

    /** Returns the number of clean steps in a row since the scale last changed. */
    public int getCleanSteps() {
        return cleanSteps;
    }

    /**
     * Records the outcome of a step and adjusts the scale.
     *
     * @param foundInfOrNan whether the step's gradients held an inf or a NaN (the step is skipped)
     */
    public void update(boolean foundInfOrNan) {
        if (foundInfOrNan) {
            scale *= BACKOFF_FACTOR;
            cleanSteps = 0;
            return;
        }
        cleanSteps++;
        if (cleanSteps == growthInterval) {
            float grown = scale * GROWTH_FACTOR;
            if (Float.isFinite(grown)) {
                scale = grown;
            }
            cleanSteps = 0;
        }
    }

    /**
     * Restores the state saved in a checkpoint.
     *
     * @param scale the scale
     * @param cleanSteps the number of clean steps in a row
     */
    public void restore(float scale, int cleanSteps) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(
                    "scale must be a positive finite number, got " + scale);
        }
        if (cleanSteps < 0 || cleanSteps >= growthInterval) {
            throw new IllegalArgumentException(
                    "cleanSteps must be in [0, " + growthInterval + "), got " + cleanSteps);
        }
        this.scale = scale;
        this.cleanSteps = cleanSteps;
    }
}
