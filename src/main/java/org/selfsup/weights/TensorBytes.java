package org.selfsup.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian raw element data to {@link Tensor} and back. */
final class TensorBytes {
    private TensorBytes() {}

    /**
     * Decodes {@code count} elements of {@code dtype} from {@code bytes} (little-endian, starting at its
     * position). The caller has checked that enough bytes remain.
     */
    static Tensor decode(DType dtype, long[] shape, ByteBuffer bytes, int count) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype.floating()) {
            float[] out = new float[count];
            switch (dtype) {
                case F32 -> b.asFloatBuffer().get(out);
                case F64 -> {
                    for (int i = 0; i < count; i++) {
                        out[i] = (float) b.getDouble();
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        out[i] = halfToFloat(b.getShort());
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                    }
                }
                default -> throw new IllegalStateException(dtype.name());
            }
            return new Tensor(dtype, shape, out, null);
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = switch (dtype) {
                case I64 -> b.getLong();
                case I32 -> b.getInt();
                case I16 -> b.getShort();
                case I8 -> b.get();
                case U8, BOOL -> b.get() & 0xFF;
                default -> throw new IllegalStateException(dtype.name());
            };
        }
        return new Tensor(dtype, shape, null, out);
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The tensor's data as little-endian bytes of its own dtype (only F32 and I64 are written). */
    static byte[] encode(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.size() * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().put(t.floats());
            case I64 -> b.asLongBuffer().put(t.longs());
            default -> throw new IllegalArgumentException("writing " + t.dtype() + " is not supported (float32 and int64 only)");
        }
        return b.array();
    }
}
