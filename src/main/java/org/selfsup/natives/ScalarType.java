package org.selfsup.natives;

/**
 * libtorch's {@code c10::ScalarType} codes (the values the stable C shim's {@code aoti_torch_get_dtype}
 * returns and autocast takes). Needed because DJL reports bfloat16 arrays as "unknown".
 */
public enum ScalarType {
    UINT8(0), INT8(1), INT16(2), INT32(3), INT64(4), FLOAT16(5), FLOAT32(6), FLOAT64(7), BOOL(11),
    BFLOAT16(15), OTHER(-1);

    private final int code;

    ScalarType(int code) {
        this.code = code;
    }

    /** The {@code c10::ScalarType} value. */
    public int code() {
        return code;
    }

    /** The type with this code, or {@link #OTHER}. */
    public static ScalarType of(int code) {
        for (ScalarType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return OTHER;
    }

    /** Whether this is a 16-bit floating-point type (what autocast computes in). */
    public boolean isHalfPrecision() {
        return this == FLOAT16 || this == BFLOAT16;
    }
}
