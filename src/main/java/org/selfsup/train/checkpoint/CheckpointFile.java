package org.selfsup.train.checkpoint;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.selfsup.util.AtomicFiles;

/**
 * The container format of a checkpoint: a header, an opaque payload and a trailer with the payload's
 * length and CRC-32C, written atomically ({@link AtomicFiles}).
 * <pre>
 *   "SELFSUPC" (8 bytes) | format version (int) | payload ... | payload length (long) | CRC-32C (long) | "SSCKPEND"
 * </pre>
 * {@link #read} verifies length and checksum over the whole payload BEFORE handing it to the parser, so a
 * truncated or damaged file is rejected with a clear message and never half-loaded into a model.
 */
public final class CheckpointFile {
    private CheckpointFile() {}

    /** Current format version. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "SELFSUPC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "SSCKPEND".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4;
    private static final int TRAILER = 8 + 8 + END.length;

    /** Writes a payload. */
    public interface PayloadWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Parses a payload. */
    public interface PayloadReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** Atomically writes {@code target} with the payload produced by {@code payload}. */
    public static void write(Path target, PayloadWriter payload) throws IOException {
        AtomicFiles.write(target, raw -> {
            DataOutputStream header = new DataOutputStream(raw);
            header.write(MAGIC);
            header.writeInt(VERSION);
            header.flush();
            CountingCrcStream body = new CountingCrcStream(raw);
            DataOutputStream out = new DataOutputStream(body);
            payload.write(out);
            out.flush();
            RunPoints.reach("checkpoint-write"); // the trailer is not written yet
            DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeLong(body.count);
            trailer.writeLong(body.crc.getValue());
            trailer.write(END);
            trailer.flush();
        });
    }

    /**
     * Verifies {@code file} and parses its payload.
     *
     * @throws CorruptCheckpointException if the file is truncated, damaged, of another format version, or
     *                                    the parser fails
     * @throws NoSuchFileException        if the file does not exist
     */
    public static <T> T read(Path file, PayloadReader<T> parser) throws IOException {
        return read(file, parser, true);
    }

    /**
     * Like {@link #read(Path, PayloadReader)}; with {@code whole} false the parser may stop before the end of
     * the payload (to read a header only).
     */
    public static <T> T read(Path file, PayloadReader<T> parser, boolean whole) throws IOException {
        long payloadLength = verify(file);
        try (InputStream raw = Files.newInputStream(file)) {
            raw.skipNBytes(HEADER);
            DataInputStream in = new DataInputStream(new BufferedInputStream(
                    new BoundedInputStream(raw, payloadLength), 1 << 16));
            T result = parser.read(in);
            if (whole && in.read() != -1) {
                throw new CorruptCheckpointException(file + ": payload has trailing bytes (format mismatch)");
            }
            return result;
        } catch (CorruptCheckpointException | org.selfsup.util.UserException e) {
            // a UserException is a mismatch (another configuration or model), not damage: no fallback
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException(file + ": unreadable payload (" + e + ")", e);
        }
    }

    /**
     * Checks header, trailer, length and checksum.
     *
     * @return the payload length
     */
    public static long verify(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER + TRAILER) {
                throw new CorruptCheckpointException(file + ": truncated (" + size + " bytes)");
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            readFully(ch, head, 0);
            byte[] magic = Arrays.copyOf(head.array(), MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptCheckpointException(file + ": not a selfsup checkpoint");
            }
            int version = head.getInt(MAGIC.length);
            if (version != VERSION) {
                throw new CorruptCheckpointException(file + ": checkpoint format version " + version
                        + ", this selfsup reads version " + VERSION);
            }
            ByteBuffer tail = ByteBuffer.allocate(TRAILER);
            readFully(ch, tail, size - TRAILER);
            byte[] end = Arrays.copyOfRange(tail.array(), 16, TRAILER);
            long length = tail.getLong(0);
            if (!Arrays.equals(end, END) || length != size - HEADER - TRAILER) {
                throw new CorruptCheckpointException(file + ": truncated or incomplete (no valid trailer)");
            }
            long expected = tail.getLong(8);
            CRC32C crc = new CRC32C();
            try (InputStream in = new CheckedInputStream(new BoundedInputStream(
                    Channels.newInputStream(ch.position(HEADER)), length), crc)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (crc.getValue() != expected) {
                throw new CorruptCheckpointException(file + ": checksum mismatch (file is damaged)");
            }
            return length;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new CorruptCheckpointException("unexpected end of file");
            }
        }
        buf.flip();
    }

    /** Counts and checksums the bytes written through it. */
    private static final class CountingCrcStream extends FilterOutputStream {
        final CRC32C crc = new CRC32C();
        long count;

        CountingCrcStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the underlying stream is closed by AtomicFiles
        }
    }

    /** Reads at most {@code limit} bytes and never closes more than it should. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
