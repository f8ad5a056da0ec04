package org.selfsup.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The record framing of TensorBoard's event files (TensorFlow's TFRecord format): each record is
 * <pre>
 *   uint64 length            (little-endian)
 *   uint32 masked_crc32c(length's 8 bytes)
 *   byte   data[length]      (one serialised Event)
 *   uint32 masked_crc32c(data)
 * </pre>
 * where the CRC is CRC-32C (Castagnoli, {@link CRC32C}) masked as {@code ((crc >>> 15) | (crc << 17)) +
 * 0xa282ead8}.
 */
public final class EventRecords {
    private static final int MASK_DELTA = 0xa282ead8;

    private EventRecords() {}

    /** The masked CRC-32C of {@code bytes[off, off + len)}. */
    public static int maskedCrc(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** The framed record of {@code data}. */
    public static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** Writes the framed record of {@code data}. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        out.write(frame(data));
    }

    /**
     * The records of an event file's bytes up to the first incomplete or damaged one (a kill while a record
     * was being written leaves a short or corrupt tail, which is dropped).
     *
     * @return the data of each intact record, and whether the whole input was intact
     */
    public static Read read(InputStream in) throws IOException {
        List<byte[]> records = new ArrayList<>();
        byte[] header = new byte[12];
        while (true) {
            int n = in.readNBytes(header, 0, 12);
            if (n == 0) {
                return new Read(records, true);
            }
            if (n < 12) {
                return new Read(records, false);
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            long length = h.getLong(0);
            if (h.getInt(8) != maskedCrc(header, 0, 8) || length < 0 || length > Integer.MAX_VALUE - 16) {
                return new Read(records, false);
            }
            byte[] data = in.readNBytes((int) length);
            byte[] footer = in.readNBytes(4);
            if (data.length < length || footer.length < 4) {
                return new Read(records, false);
            }
            if (ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(data, 0, data.length)) {
                return new Read(records, false);
            }
            records.add(data);
        }
    }

    /** The bytes of {@code records}, framed. */
    public static byte[] frameAll(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(frame(r));
        }
        return out.toByteArray();
    }

    /**
     * What {@link #read} found.
     *
     * @param records the data of every intact record, in file order
     * @param intact  false when the file ended in a short or damaged record (dropped)
     */
    public record Read(List<byte[]> records, boolean intact) {}
}
