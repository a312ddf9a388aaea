package io.trainsight.trainer.clip;

/**
 * How gradients are clipped before the optimizer step: by global L2 norm (all gradients scaled by
 * {@code maxNorm / norm} when the norm exceeds {@code maxNorm}, like PyTorch's {@code
 * clip_grad_norm_}), by value (every element clamped to {@code [-maxValue, maxValue]}, like {@code
 * clip_grad_value_}), both (norm first), or neither.
 *
 * @param maxNorm the largest global L2 norm, or {@code Float.POSITIVE_INFINITY} for no norm
 *     clipping
 * @param maxValue the largest absolute value of an element, or {@code Float.POSITIVE_INFINITY} for
 *     no value clipping
 */
public record GradientClipping(float maxNorm, float maxValue) {

    /** No clipping. */
    public static final GradientClipping NONE =
            new GradientClipping(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public GradientClipping {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("maxValue must be positive, got " + maxValue);
        }
    }

    /**
     * Clips by global L2 norm.
     *
     * @param maxNorm the largest global norm, positive
     * @return the clipping
     */
    public static GradientClipping byNorm(float maxNorm) {
        return new GradientClipping(maxNorm, Float.POSITIVE_INFINITY);
    }

    /**
     * Clips every element to {@code [-maxValue, maxValue]}.
     *
     * @param maxValue the largest absolute value, positive
     * @return the clipping
     */
    public static GradientClipping byValue(float maxValue) {
        return new GradientClipping(Float.POSITIVE_INFINITY, maxValue);
    }

    /** Returns whether gradients are clipped by norm. */
    public boolean clipsNorm() {
        return maxNorm != Float.POSITIVE_INFINITY;
    }

    /** Returns whether gradients are clipped by value. */
    public boolean clipsValue() {
        return maxValue != Float.POSITIVE_INFINITY;
    }

    /**
     * Returns the factor all gradients are multiplied by for a global norm, 1 when under the limit.
     * The small epsilon in the denominator matches PyTorch's.
     *
     * @param norm the global L2 norm of the gradients
     * @return the factor, at most 1
     */
    public float normFactor(float norm) {
        if (!clipsNorm()) {
            return 1f;
        }
        float factor = (float) (maxNorm / (norm + 1e-6));
        return Math.min(1f, factor);
    }
}
