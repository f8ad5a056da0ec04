package org.selfsup.weights;

import java.util.Locale;

/**
 * Element types a weight file can hold, with their safetensors names and byte sizes. Floating types
 * are converted to float32 on import; integer types are kept as int64 (only counters such as
 * BatchNorm's {@code num_batches_tracked} use them).
 */
public enum DType {
    F32("F32", 4, true),
    F64("F64", 8, true),
    F16("F16", 2, true),
    BF16("BF16", 2, true),
    I64("I64", 8, false),
    I32("I32", 4, false),
    I16("I16", 2, false),
    I8("I8", 1, false),
    U8("U8", 1, false),
    BOOL("BOOL", 1, false);

    private final String safetensorsName;
    private final int bytes;
    private final boolean floating;

    DType(String safetensorsName, int bytes, boolean floating) {
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
        this.floating = floating;
    }

    /** The name in a safetensors header ({@code F32}, {@code I64}, ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether values are read as floats (else as integers). */
    public boolean floating() {
        return floating;
    }

    /** The type a safetensors header names, or null when unknown. */
    public static DType ofSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The type of a PyTorch storage class ({@code FloatStorage}, {@code HalfStorage}, ...), or null when
     * unknown.
     */
    public static DType ofTorchStorage(String className) {
        return switch (className) {
            case "FloatStorage" -> F32;
            case "DoubleStorage" -> F64;
            case "HalfStorage" -> F16;
            case "BFloat16Storage" -> BF16;
            case "LongStorage" -> I64;
            case "IntStorage" -> I32;
            case "ShortStorage" -> I16;
            case "CharStorage" -> I8;
            case "ByteStorage" -> U8;
            case "BoolStorage" -> BOOL;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
