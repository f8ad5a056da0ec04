package org.selfsup.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup.tensorboard.proto.EventProtos.Event;

/**
 * An event-file reader for the tests, independent of the writer's code: its own CRC-32C (bitwise,
 * Castagnoli polynomial 0x82F63B78) and masking, and it fails on any record whose length or data CRC does
 * not check, or on trailing bytes.
 */
public final class EventFileReader {
    private EventFileReader() {}

    /** CRC-32C computed bit by bit (reflected polynomial 0x82F63B78). */
    static int crc32c(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    static int masked(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** Every event of {@code file}; throws AssertionError on a bad CRC or a truncated record. */
    public static List<Event> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            if (all.length - pos < 12) {
                throw new AssertionError(file + ": " + (all.length - pos) + " trailing bytes at " + pos);
            }
            long len = b.getLong(pos);
            int lenCrc = b.getInt(pos + 8);
            if (lenCrc != masked(crc32c(all, pos, 8))) {
                throw new AssertionError(file + ": bad length CRC at " + pos);
            }
            int data = pos + 12;
            if (len < 0 || data + len + 4 > all.length) {
                throw new AssertionError(file + ": record at " + pos + " of length " + len + " runs past the end");
            }
            int dataCrc = b.getInt(data + (int) len);
            if (dataCrc != masked(crc32c(all, data, (int) len))) {
                throw new AssertionError(file + ": bad data CRC at " + pos);
            }
            byte[] msg = new byte[(int) len];
            System.arraycopy(all, data, msg, 0, (int) len);
            events.add(Event.parseFrom(msg));
            pos = data + (int) len + 4;
        }
        return events;
    }
}
