package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.CifarReader;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;

class CifarReaderTest {
    @TempDir
    Path dir;

    /** Pixel value of (record r, channel c, y, x) in the test files: a function of all four. */
    static int value(int r, int c, int y, int x) {
        return (r * 31 + c * 101 + y * 7 + x * 3) & 0xFF;
    }

    /** Writes records in the official layout: label bytes, then R, G, B planes, each 32x32 row-major. */
    static byte[] records(int first, int n, int... labelBytesPerRecord) {
        int lb = labelBytesPerRecord.length / n;
        byte[] out = new byte[n * (lb + 3072)];
        for (int r = 0; r < n; r++) {
            int off = r * (lb + 3072);
            for (int k = 0; k < lb; k++) {
                out[off + k] = (byte) labelBytesPerRecord[r * lb + k];
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[off + lb + c * 1024 + y * 32 + x] = (byte) value(first + r, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    private void writeCifar10(Path d) throws IOException {
        Files.createDirectories(d);
        for (int b = 1; b <= 5; b++) {
            Files.write(d.resolve("data_batch_" + b + ".bin"), records(2 * (b - 1), 2, b, (b + 5) % 10));
        }
        Files.write(d.resolve("test_batch.bin"), records(100, 3, 9, 0, 4));
    }

    @Test
    void cifar10RoundTripsPlanarToHwcInSubFolder() throws IOException {
        writeCifar10(dir.resolve("cifar-10-batches-bin"));
        ImageStore train = CifarReader.cifar10(dir, "train");
        assertEquals(10, train.size());
        assertArrayEquals(new int[] {1, 6, 2, 7, 3, 8, 4, 9, 5, 0}, train.labels());
        assertEquals(CifarReader.CIFAR10_CLASSES, train.classNames());
        for (int r : new int[] {0, 5, 9}) {
            for (int[] p : new int[][] {{0, 0, 0}, {2, 31, 0}, {1, 5, 17}, {0, 12, 30}}) {
                int c = p[0];
                int y = p[1];
                int x = p[2];
                assertEquals(value(r, c, y, x), train.image(r).get(y, x, c), "r" + r + " c" + c + " y" + y + " x" + x);
            }
        }
        ImageStore test = CifarReader.cifar10(dir.resolve("cifar-10-batches-bin"), "test");
        assertArrayEquals(new int[] {9, 0, 4}, test.labels());
        assertEquals(value(102, 1, 3, 4), test.image(2).get(3, 4, 1));
    }

    @Test
    void cifar10ClassNamesFromMetaFile() throws IOException {
        writeCifar10(dir);
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), CifarReader.cifar10(dir, "test").classNames());
    }

    @Test
    void cifar100FineAndCoarseLabels() throws IOException {
        Path d = dir.resolve("cifar-100-binary");
        Files.createDirectories(d);
        Files.write(d.resolve("train.bin"), records(0, 2, 19, 99, 3, 42));
        Files.write(d.resolve("test.bin"), records(7, 1, 0, 5));
        ImageStore fine = CifarReader.cifar100(dir, "train", false);
        assertArrayEquals(new int[] {99, 42}, fine.labels());
        assertEquals(100, fine.numClasses());
        ImageStore coarse = CifarReader.cifar100(dir, "train", true);
        assertArrayEquals(new int[] {19, 3}, coarse.labels());
        assertEquals(20, coarse.numClasses());
        assertEquals(value(1, 2, 31, 31), fine.image(1).get(31, 31, 2));
        Files.writeString(d.resolve("coarse_label_names.txt"), String.join("\n", java.util.Collections.nCopies(20, "x")));
        assertEquals(20, CifarReader.cifar100(dir, "test", true).classNames().size());
    }

    @Test
    void sizeNotAMultipleOfTheRecordNamesTheFile() throws IOException {
        writeCifar10(dir);
        Path f = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "train"));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("not a multiple of the 3073-byte record"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileAndRecord() throws IOException {
        writeCifar10(dir);
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, records(0, 2, 3, 10));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "test"));
        assertEquals(f + ": label 10 of record 1 out of range 0..9", e.getMessage());
    }

    @Test
    void missingFileAndDirectory() throws IOException {
        writeCifar10(dir);
        Files.delete(dir.resolve("data_batch_5.bin"));
        UserException e = assertThrows(UserException.class, () -> CifarReader.cifar10(dir, "train"));
        assertEquals(dir.resolve("data_batch_5.bin") + ": file not found", e.getMessage());
        Path missing = dir.resolve("missing");
        UserException e2 = assertThrows(UserException.class, () -> CifarReader.cifar100(missing, "train", false));
        assertTrue(e2.getMessage().startsWith(missing.toString()), e2.getMessage());
    }

    @Test
    void registryLoadsCifar10WithNormalisationAndViewSize() throws IOException {
        writeCifar10(dir);
        Dataset d = DatasetRegistry.load("cifar10", dir, null);
        assertEquals(32, d.viewSize());
        assertEquals(Normalization.CIFAR, d.normalization());
        assertEquals(10, d.pretrain().size());
        assertEquals(3, d.test().size());
    }
}
