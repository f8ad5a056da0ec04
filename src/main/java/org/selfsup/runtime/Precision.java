package org.selfsup.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.selfsup.natives.ScalarType;
import org.selfsup.util.UserException;

/**
 * The arithmetic of a run's forward passes ({@code precision: fp32|bf16|fp16}), parsed once from the
 * configuration and handed as this value to the training step ({@link StepPrecision}), the monitors and
 * evaluation ({@link Autocast}). Weights, gradients, optimiser state, EMA target, BatchNorm statistics,
 * losses and checkpoints stay float32 at every precision.
 */
public enum Precision {
    /** Full float32 (the default): nothing changes. */
    FP32,
    /** Autocast to bfloat16 per network call, float32 losses. */
    BF16,
    /** Autocast to float16 per network call, float32 losses, dynamic loss scaling ({@link LossScaler}). */
    FP16;

    /** The configuration values, in declaration order (fp32, bf16, fp16). */
    public static final List<String> LABELS = Arrays.stream(values()).map(Precision::label).toList();

    /** The configuration value (fp32, bf16, fp16). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision a configuration value names.
     *
     * @throws UserException naming the {@code precision} key for anything but fp32, bf16, fp16
     */
    public static Precision parse(String label) {
        for (Precision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new UserException("precision: unknown value '" + label + "' (" + String.join(", ", LABELS) + ")");
    }

    /** Whether forward passes run under autocast (bf16, fp16). */
    public boolean autocasts() {
        return this != FP32;
    }

    /** Whether the loss is scaled before backward (fp16: its small exponent range underflows gradients). */
    public boolean scalesLoss() {
        return this == FP16;
    }

    /** The 16-bit type autocast computes in (meaningless for fp32). */
    ScalarType dtype() {
        return this == BF16 ? ScalarType.BFLOAT16 : ScalarType.FLOAT16;
    }
}
