package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.data.readers.Stl10Reader;
import org.selfsup.util.UserException;

class Stl10ReaderTest {
    private static final int S = 96;

    @TempDir
    Path dir;

    static int value(int r, int c, int y, int x) {
        return (r * 13 + c * 77 + y * 5 + x * 11) & 0xFF;
    }

    /** Images in STL-10's layout: channel planes, each column-major (index c*96*96 + x*96 + y). */
    static byte[] images(int first, int n) {
        int rec = S * S * 3;
        byte[] out = new byte[n * rec];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 3; c++) {
                for (int x = 0; x < S; x++) {
                    for (int y = 0; y < S; y++) {
                        out[r * rec + c * S * S + x * S + y] = (byte) value(first + r, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    private Path writeAll() throws IOException {
        Path d = dir.resolve("stl10_binary");
        Files.createDirectories(d);
        Files.write(d.resolve("train_X.bin"), images(0, 3));
        Files.write(d.resolve("train_y.bin"), new byte[] {1, 10, 5});
        Files.write(d.resolve("test_X.bin"), images(50, 2));
        Files.write(d.resolve("test_y.bin"), new byte[] {2, 3});
        Files.write(d.resolve("unlabeled_X.bin"), images(100, 4));
        return d;
    }

    /**
     * Issue 22 item 18: the launcher's default heap is sized by the data set; one whose pixels cannot fit in
     * the heap is refused before it is read, naming the file and SELFSUP_HEAP (here a sparse unlabeled file
     * larger than this JVM's whole heap), instead of an OutOfMemoryError after minutes of loading.
     */
    @Test
    void aSplitLargerThanTheHeapIsRefusedBeforeItIsRead() throws Exception {
        Path d = Files.createDirectories(dir.resolve("stl10_binary"));
        long records = Runtime.getRuntime().maxMemory() / (S * S * 3) + 10;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(d.resolve("unlabeled_X.bin").toFile(), "rw")) {
            f.setLength(records * S * S * 3); // sparse: nothing is written
        }
        UserException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> assertThrows(UserException.class, () -> Stl10Reader.read(dir, "unlabeled")));
        assertTrue(e.getMessage().startsWith(d.resolve("unlabeled_X.bin") + ": its pixels need ")
                && e.getMessage().contains("SELFSUP_HEAP="), e.getMessage());
    }

    @Test
    void columnMajorImagesAndOneBasedLabels() throws IOException {
        writeAll();
        ImageStore train = Stl10Reader.read(dir, "train");
        assertArrayEquals(new int[] {0, 9, 4}, train.labels());
        assertEquals(Stl10Reader.CLASSES, train.classNames());
        for (int r = 0; r < 3; r++) {
            for (int[] p : new int[][] {{0, 0, 0}, {1, 0, 95}, {2, 95, 0}, {0, 17, 63}, {2, 80, 3}}) {
                assertEquals(value(r, p[0], p[1], p[2]), train.image(r).get(p[1], p[2], p[0]));
            }
        }
        ImageStore test = Stl10Reader.read(dir.resolve("stl10_binary"), "test");
        assertArrayEquals(new int[] {1, 2}, test.labels());
        assertEquals(value(51, 1, 40, 7), test.image(1).get(40, 7, 1));
    }

    @Test
    void unlabeledAndTrainPlusUnlabeled() throws IOException {
        writeAll();
        ImageStore u = Stl10Reader.read(dir, "unlabeled");
        assertEquals(4, u.size());
        assertArrayEquals(new int[] {-1, -1, -1, -1}, u.labels());
        ImageStore tu = Stl10Reader.read(dir, "train+unlabeled");
        assertEquals(7, tu.size());
        assertEquals(9, tu.label(1));
        assertEquals(-1, tu.label(3));
        assertEquals(value(103, 2, 9, 90), tu.image(6).get(9, 90, 2));
        Dataset d = DatasetRegistry.load("stl10", dir, null);
        assertEquals(64, d.viewSize());
        assertEquals(7, d.pretrain().size());
        assertEquals(3, d.train().size());
        assertEquals(Normalization.STL10, d.normalization());
    }

    @Test
    void errors() throws IOException {
        Path d = writeAll();
        Path x = d.resolve("unlabeled_X.bin");
        byte[] b = Files.readAllBytes(x);
        Files.write(x, Arrays.copyOf(b, b.length - 1));
        UserException e = assertThrows(UserException.class, () -> Stl10Reader.read(dir, "unlabeled"));
        assertTrue(e.getMessage().startsWith(x.toString()) && e.getMessage().contains("not a multiple of the 27648-byte"),
                e.getMessage());

        Path y = d.resolve("train_y.bin");
        Files.write(y, new byte[] {1, 11, 2});
        UserException e2 = assertThrows(UserException.class, () -> Stl10Reader.read(dir, "train"));
        assertEquals(y + ": label 11 of image 1 out of range 1..10", e2.getMessage());
        Files.write(y, new byte[] {1, 0, 2});
        assertThrows(UserException.class, () -> Stl10Reader.read(dir, "train"));
        Files.write(y, new byte[] {1, 2});
        UserException e3 = assertThrows(UserException.class, () -> Stl10Reader.read(dir, "train"));
        assertTrue(e3.getMessage().startsWith(y.toString()) && e3.getMessage().contains("2 labels but"), e3.getMessage());

        Files.delete(d.resolve("test_X.bin"));
        UserException e4 = assertThrows(UserException.class, () -> Stl10Reader.read(dir, "test"));
        assertEquals(d.resolve("test_X.bin") + ": file not found", e4.getMessage());
    }
}
