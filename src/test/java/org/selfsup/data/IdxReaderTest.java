package org.selfsup.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.IdxReader;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    /** Writes IDX files by hand in the official layout (big-endian header, then bytes). */
    static byte[] idxImages(int n, int rows, int cols, byte[] payload) {
        byte[] b = new byte[16 + payload.length];
        putInt(b, 0, 0x803);
        putInt(b, 4, n);
        putInt(b, 8, rows);
        putInt(b, 12, cols);
        System.arraycopy(payload, 0, b, 16, payload.length);
        return b;
    }

    static byte[] idxLabels(byte... labels) {
        byte[] b = new byte[8 + labels.length];
        putInt(b, 0, 0x801);
        putInt(b, 4, labels.length);
        System.arraycopy(labels, 0, b, 8, labels.length);
        return b;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static byte[] payload(int len) {
        byte[] p = new byte[len];
        for (int i = 0; i < len; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    @Test
    void readsRawAndGzippedFilesWithValuesLabelsAndOrder() throws IOException {
        byte[] px = payload(3 * 2 * 4);
        Path img = dir.resolve("images.bin");
        Path lab = dir.resolve("labels.gz.but.raw");
        Files.write(img, idxImages(3, 2, 4, px));
        Files.write(lab, idxLabels((byte) 2, (byte) 0, (byte) 1));
        ImageStore s = IdxReader.read("t", img, lab, CLASSES);
        assertEquals(3, s.size());
        assertEquals(2, s.height());
        assertEquals(4, s.width());
        assertEquals(1, s.channels());
        assertArrayEquals(new int[] {2, 0, 1}, s.labels());
        assertArrayEquals(Arrays.copyOfRange(px, 8, 16), s.pixels(1));
        // (y=1, x=2) of image 2 is byte 16 + 1*4 + 2 of the payload
        assertEquals(px[16 + 6] & 0xFF, s.image(2).get(1, 2, 0));

        // The same content gzipped under a name without .gz: detected by the magic number.
        Path gzImg = dir.resolve("img-noext");
        AtomicFiles.writeGzip(gzImg, idxImages(3, 2, 4, px));
        ImageStore g = IdxReader.read("t", gzImg, lab, CLASSES);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(s.pixels(i), g.pixels(i));
        }
    }

    @Test
    void wrongMagicNamesTheFile() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        Files.write(img, idxImages(1, 2, 2, payload(4)));
        Files.write(lab, idxImages(1, 2, 2, payload(4)));
        UserException e = assertThrows(UserException.class, () -> IdxReader.read("t", img, lab, CLASSES));
        assertTrue(e.getMessage().startsWith(lab.toString()) && e.getMessage().contains("magic"), e.getMessage());
        UserException e2 = assertThrows(UserException.class, () -> IdxReader.read("t", lab.resolveSibling("lab"), img, CLASSES));
        assertTrue(e2.getMessage().contains("0x00000801") || e2.getMessage().contains("magic"), e2.getMessage());
    }

    @Test
    void truncatedFileIsAUserError() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        byte[] full = idxImages(2, 2, 2, payload(8));
        Files.write(img, Arrays.copyOf(full, full.length - 3));
        Files.write(lab, idxLabels((byte) 0, (byte) 1));
        UserException e = assertThrows(UserException.class, () -> IdxReader.read("t", img, lab, CLASSES));
        assertTrue(e.getMessage().startsWith(img.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipIsAUserError() throws IOException {
        Path img = dir.resolve("img.gz");
        AtomicFiles.writeGzip(img, idxImages(2, 2, 2, payload(8)));
        byte[] gz = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(gz, gz.length - 10));
        Path lab = dir.resolve("lab");
        Files.write(lab, idxLabels((byte) 0, (byte) 1));
        UserException e = assertThrows(UserException.class, () -> IdxReader.read("t", img, lab, CLASSES));
        assertTrue(e.getMessage().startsWith(img.toString()), e.getMessage());
    }

    @Test
    void labelOutOfRangeAndCountMismatch() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        Files.write(img, idxImages(2, 2, 2, payload(8)));
        Files.write(lab, idxLabels((byte) 0, (byte) 3));
        UserException e = assertThrows(UserException.class, () -> IdxReader.read("t", img, lab, CLASSES));
        assertTrue(e.getMessage().startsWith(lab.toString()) && e.getMessage().contains("label 3"), e.getMessage());
        Files.write(lab, idxLabels((byte) 0));
        UserException e2 = assertThrows(UserException.class, () -> IdxReader.read("t", img, lab, CLASSES));
        assertTrue(e2.getMessage().contains("1 labels but"), e2.getMessage());
    }

    @Test
    void missingFileIsAUserError() {
        Path img = dir.resolve("nope");
        UserException e = assertThrows(UserException.class, () -> IdxReader.read("t", img, img, CLASSES));
        assertEquals(img + ": file not found", e.getMessage());
    }

    @Test
    void encodeRoundTrips() {
        byte[][] px = {payload(6), payload(6)};
        ImageStore s = new ImageStore("s", 2, 3, 1, px, new int[] {1, 2}, CLASSES);
        byte[][] files = IdxReader.encode(s);
        ImageStore r = IdxReader.parse("r", files[0], "i", files[1], "l", CLASSES);
        assertArrayEquals(s.labels(), r.labels());
        assertArrayEquals(s.pixels(1), r.pixels(1));
    }
}
