package io.trainsight.trainer;

import java.util.Locale;

/** The floating-point format the model's weights and activations are trained in. */
public enum Precision {
    /** Single precision throughout. */
    FP32,
    /**
     * Mixed precision: FP16 working weights and activations, FP32 master weights, dynamic loss
     * scaling.
     */
    FP16,
    /**
     * bfloat16: refused. DJL 0.36's PyTorch JNI does not map bfloat16 and aborts the JVM on it, so
     * trainsight stops before that path is reached.
     */
    BF16;

    /**
     * Reads a precision from its name, in any case.
     *
     * @param name {@code fp32}, {@code fp16} or {@code bf16}
     * @return the precision
     * @throws IllegalArgumentException naming the valid values
     */
    public static Precision of(String name) {
        for (Precision precision : values()) {
            if (precision.name().equalsIgnoreCase(name.trim())) {
                return precision;
            }
        }
        throw new IllegalArgumentException(
                "'" + name + "' is not a precision; valid: fp32, fp16 (bf16 is refused)");
    }

    /**
     * Throws if this precision cannot be trained with the engine.
     *
     * @throws IllegalArgumentException for {@link #BF16}, saying why and what to use instead
     */
    public void checkSupported() {
        if (this == BF16) {
            throw new IllegalArgumentException(
                    "precision bf16 is not supported: DJL 0.36's PyTorch engine cannot run bfloat16"
                        + " (its JNI aborts the JVM on it); use fp16 (mixed precision) or fp32");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
