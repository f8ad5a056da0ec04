package org.selfsup.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.selfsup.util.UserException;

/**
 * Binary format of named float32 parameters: magic, version, count, then per parameter its name,
 * shape and little-endian float32 data. Self-delimiting, so it can sit inside a larger checkpoint stream.
 */
final class ParamIo {
    private ParamIo() {}

    private static final int MAGIC = 0x53534C4D; // "SSLM"
    private static final int VERSION = 1;

    /** A parameter read back from a stream. */
    record Entry(Shape shape, float[] data) {}

    static void write(DataOutputStream out, Map<String, Parameter> params) {
        try {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(params.size());
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray array = e.getValue().getArray();
                if (array.getDataType() != DataType.FLOAT32) {
                    throw new IllegalStateException(e.getKey() + " is " + array.getDataType() + ", not float32");
                }
                out.writeUTF(e.getKey());
                long[] dims = array.getShape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
                FloatBuffer values = array.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
                ByteBuffer le = ByteBuffer.allocate(values.remaining() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                le.asFloatBuffer().put(values);
                out.write(le.array());
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Map<String, Entry> read(DataInputStream in) {
        try {
            if (in.readInt() != MAGIC) {
                throw new UserException("model parameters: not a selfsup parameter stream (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new UserException("model parameters: unsupported format version " + version);
            }
            int count = in.readInt();
            Map<String, Entry> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long[] dims = new long[in.readInt()];
                for (int j = 0; j < dims.length; j++) {
                    dims[j] = in.readLong();
                }
                Shape shape = new Shape(dims);
                byte[] bytes = new byte[Math.toIntExact(shape.size() * Float.BYTES)];
                in.readFully(bytes);
                float[] data = new float[Math.toIntExact(shape.size())];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                out.put(name, new Entry(shape, data));
            }
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Copies read values into parameters. Every target parameter must be present with the same shape;
     * when {@code exact}, the stream must hold no other names either.
     */
    static void assign(Map<String, Entry> values, Map<String, Parameter> into, boolean exact) {
        for (Map.Entry<String, Parameter> e : into.entrySet()) {
            Entry v = values.get(e.getKey());
            if (v == null) {
                throw new UserException("model parameters: missing '" + e.getKey() + "' (saved from another architecture?)");
            }
            Shape expected = e.getValue().getArray().getShape();
            if (!expected.equals(v.shape())) {
                throw new UserException("model parameters: '" + e.getKey() + "' has shape " + v.shape()
                        + ", the model expects " + expected);
            }
        }
        if (exact && values.size() != into.size()) {
            String extra = values.keySet().stream().filter(k -> !into.containsKey(k)).findFirst().orElse("?");
            throw new UserException("model parameters: unexpected '" + extra + "' (saved from another model layout?)");
        }
        for (Map.Entry<String, Parameter> e : into.entrySet()) {
            ParamValues.set(e.getValue().getArray(), values.get(e.getKey()).data());
        }
    }

}
