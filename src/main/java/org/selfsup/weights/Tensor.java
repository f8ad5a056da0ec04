package org.selfsup.weights;

import java.util.Arrays;

/**
 * One named array of a weight file, decoded: floating types as float32 {@code floats}, integer types
 * as {@code longs} (exactly one of the two is non-null). {@code dtype} is the type stored in the file.
 */
public record Tensor(DType dtype, long[] shape, float[] floats, long[] longs) {
    public Tensor {
        shape = shape.clone();
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("exactly one of floats and longs");
        }
        long n = elements(shape);
        if ((floats != null ? floats.length : longs.length) != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not match the data");
        }
    }

    /** A float32 tensor. */
    public static Tensor f32(long[] shape, float[] values) {
        return new Tensor(DType.F32, shape, values, null);
    }

    /** An int64 tensor. */
    public static Tensor i64(long[] shape, long[] values) {
        return new Tensor(DType.I64, shape, null, values);
    }

    /** Number of elements of {@code shape}; -1 if a dimension is negative or the product overflows. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** Number of elements. */
    public long size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The shape as text, PyTorch style: {@code [64, 3, 3, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    /** Number of NaN or infinite values (0 for integer tensors). */
    public int nonFinite() {
        if (floats == null) {
            return 0;
        }
        int n = 0;
        for (float f : floats) {
            if (!Float.isFinite(f)) {
                n++;
            }
        }
        return n;
    }
}
