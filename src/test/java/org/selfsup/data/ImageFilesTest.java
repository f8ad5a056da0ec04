package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.util.UserException;

/** Image folders, list files, decoding/resizing and the decoded-image cache. */
class ImageFilesTest {
    @TempDir
    Path dir;

    static int value(int seed, int c, int y, int x) {
        return (seed * 41 + c * 90 + y * 9 + x * 23) & 0xFF;
    }

    /** Writes an 8x8 RGB PNG whose pixels follow {@link #value}. */
    static void png(Path file, int seed) throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, (value(seed, 0, y, x) << 16) | (value(seed, 1, y, x) << 8) | value(seed, 2, y, x));
            }
        }
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    private DataOptions opts() {
        DataOptions o = new DataOptions();
        o.cacheDir = dir.resolve("cache");
        return o;
    }

    private void assertImage(ImageStore s, int i, int seed) {
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(value(seed, c, y, x), s.image(i).get(y, x, c), "image " + i + " y" + y + " x" + x + " c" + c);
                }
            }
        }
    }

    @Test
    void folderClassesAreSortedAndPixelsExact() throws IOException {
        Path train = dir.resolve("root/train");
        png(train.resolve("dog/b.png"), 1);
        png(train.resolve("dog/a.png"), 2);
        png(train.resolve("cat/z.PNG"), 3);
        png(train.resolve("cat/sub/y.png"), 4);
        Files.writeString(train.resolve("cat/notes.txt"), "not an image");
        png(dir.resolve("elsewhere/w.png"), 5);
        Files.createSymbolicLink(train.resolve("dog/linked"), dir.resolve("elsewhere"));
        ImageStore s = ImageFolderReader.read("f/train", train, 8, opts());
        assertEquals(List.of("cat", "dog"), s.classNames());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, s.labels());
        // sorted paths: cat/sub/y.png, cat/z.PNG, dog/a.png, dog/b.png, dog/linked/w.png
        assertImage(s, 0, 4);
        assertImage(s, 1, 3);
        assertImage(s, 2, 2);
        assertImage(s, 3, 1);
        assertImage(s, 4, 5);
    }

    @Test
    void unreadableImageSkippedWithWarningOrFailsByPolicy() throws IOException {
        Path train = dir.resolve("train");
        png(train.resolve("a/1.png"), 1);
        png(train.resolve("b/2.png"), 2);
        Path bad = train.resolve("b/broken.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        DataOptions o = opts();
        ImageStore s = ImageFolderReader.read("t", train, 8, o);
        assertEquals(2, s.size());
        assertImage(s, 1, 2);

        DataOptions fail = opts();
        fail.onBadImage = BadImagePolicy.FAIL;
        // From the cache (written by the first load) ...
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.read("t", train, 8, fail));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("unreadable image"), e.getMessage());
        // ... and without it.
        fail.cacheDir = dir.resolve("other-cache");
        UserException e2 = assertThrows(UserException.class, () -> ImageFolderReader.read("t", train, 8, fail));
        assertTrue(e2.getMessage().startsWith(bad.toString()), e2.getMessage());
    }

    @Test
    void cacheIsWrittenReusedAndInvalidatedByChanges() throws IOException {
        Path train = dir.resolve("train");
        png(train.resolve("a/1.png"), 1);
        png(train.resolve("b/2.png"), 2);
        DataOptions o = opts();
        ImageStore first = ImageFolderReader.read("t", train, 8, o);
        List<Path> caches;
        try (Stream<Path> s = Files.list(o.cacheDir.resolve("images"))) {
            caches = s.toList();
        }
        assertEquals(1, caches.size());
        ImageStore second = ImageFolderReader.read("t", train, 8, o);
        assertArrayEquals(first.pixels(1), second.pixels(1));

        // Changing a file (new content, size and mtime) gives a new cache entry with the new pixels.
        png(train.resolve("b/2.png"), 7);
        Files.setLastModifiedTime(train.resolve("b/2.png"), java.nio.file.attribute.FileTime.fromMillis(12345));
        ImageStore third = ImageFolderReader.read("t", train, 8, o);
        assertImage(third, 1, 7);

        // A corrupt cache file is ignored and rebuilt.
        try (Stream<Path> s = Files.list(o.cacheDir.resolve("images"))) {
            for (Path c : s.toList()) {
                Files.write(c, new byte[] {1, 2, 3});
            }
        }
        assertImage(ImageFolderReader.read("t", train, 8, o), 1, 7);
        assertImage(ImageFolderReader.read("t", train, 8, o), 1, 7);
    }

    @Test
    void resizeShorterSideThenCentreCropWithAntialiasedBilinear() {
        // 8 rows x 16 columns, horizontal gradient v = 10 * x, constant over rows.
        int h = 8;
        int w = 16;
        byte[] rgb = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) (10 * x + c);
                }
            }
        }
        // Shorter side 8 -> 4 (scale 2): width 16 -> 8, centre crop columns 2..5 of the 8.
        byte[] out = ImageDecoding.resizeCenterCrop(rgb, h, w, 4);
        for (int i = 0; i < 4; i++) {
            int col = i + 2;
            // 2x downscale taps on source columns 2col-1..2col+2 with weights 1/8, 3/8, 3/8, 1/8.
            double expected = (10 * (2 * col - 1) + 30 * (2 * col) + 30 * (2 * col + 1) + 10 * (2 * col + 2)) / 8.0;
            for (int y = 0; y < 4; y++) {
                assertEquals(Math.round(expected), out[(y * 4 + i) * 3] & 0xFF, "col " + i);
                assertEquals(Math.round(expected) + 2, out[(y * 4 + i) * 3 + 2] & 0xFF, "col " + i);
            }
        }
    }

    @Test
    void greyAndJpegImagesBecomeRgbOfTheRequestedSize() throws IOException {
        BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        Path g = dir.resolve("g.png");
        ImageIO.write(grey, "png", g.toFile());
        byte[] px = ImageDecoding.decodeResized(g, 6);
        assertEquals(6 * 6 * 3, px.length);
        for (byte b : px) {
            assertEquals(100, b & 0xFF); // no gamma shift of linear grey
        }
        BufferedImage col = new BufferedImage(30, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 30; x++) {
                col.setRGB(x, y, 0xC81E50);
            }
        }
        Path j = dir.resolve("c.jpg");
        ImageIO.write(col, "jpg", j.toFile());
        byte[] jp = ImageDecoding.decodeResized(j, 12);
        assertEquals(12 * 12 * 3, jp.length);
        assertEquals(200, jp[0] & 0xFF, 6);
        assertEquals(30, jp[1] & 0xFF, 6);
        assertEquals(80, jp[2] & 0xFF, 6);
    }

    @Test
    void registryImageFolderUsesTrainAndValWithImagenetNormalisation() throws IOException {
        Path root = dir.resolve("imnet");
        png(root.resolve("train/n01/a.png"), 1);
        png(root.resolve("train/n02/a.png"), 2);
        png(root.resolve("val/n01/a.png"), 3);
        png(root.resolve("val/n02/a.png"), 4);
        DataOptions o = opts();
        o.imageSize = 8;
        Dataset d = DatasetRegistry.load("imagefolder", root, o);
        assertEquals(8, d.viewSize());
        assertEquals(Normalization.IMAGENET, d.normalization());
        assertEquals(2, d.test().size());
        assertImage(d.test(), 1, 4);
        UserException e = assertThrows(UserException.class,
                () -> DatasetRegistry.load("imagefolder", dir.resolve("empty"), o));
        assertTrue(e.getMessage().startsWith(dir.resolve("empty").toString()), e.getMessage());
    }

    @Test
    void listFileWithOneBasedLabelsUnderAll() throws IOException {
        Path root = dir.resolve("list");
        png(root.resolve("all/n01/x 1.png"), 1);
        png(root.resolve("all/n02/y.png"), 2);
        png(root.resolve("all/n01/z.png"), 3);
        Files.writeString(root.resolve("train.txt"), "n01/x 1.png 1\n\nn02/y.png 2\n# comment\nn01/z.png  1\n");
        Files.writeString(root.resolve("test.txt"), "n02/y.png 2\n");
        DataOptions o = opts();
        o.imageSize = 8;
        Dataset d = DatasetRegistry.load("listfile", root, o);
        assertEquals(List.of("n01", "n02"), d.train().classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.train().labels());
        assertImage(d.train(), 0, 1);
        assertImage(d.train(), 2, 3);
        assertArrayEquals(new int[] {1}, d.test().labels());

        o.listLabelBase = 0;
        Dataset zero = DatasetRegistry.load("listfile", root, o);
        assertEquals(3, zero.numClasses());
        assertEquals(List.of("0", "1", "2"), zero.train().classNames());
    }

    @Test
    void badListLinesNameFileAndLine() throws IOException {
        Path root = dir.resolve("list");
        png(root.resolve("all/a.png"), 1);
        Path list = root.resolve("train.txt");
        DataOptions o = opts();
        Files.writeString(list, "a.png 1\na.png\n");
        UserException e = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, 8, o));
        assertEquals(list + ":2: expected 'relative/path label', got 'a.png'", e.getMessage());
        Files.writeString(list, "a.png one\n");
        UserException e2 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, 8, o));
        assertEquals(list + ":1: label 'one' is not an integer", e2.getMessage());
        Files.writeString(list, "a.png 1\na.png 0\n");
        UserException e3 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, 8, o));
        assertTrue(e3.getMessage().startsWith(list + ":2: label 0"), e3.getMessage());
        Files.writeString(list, "a.png 5\n");
        UserException e4 = assertThrows(UserException.class,
                () -> ListFileReader.read("l", root, list, List.of("x", "y"), 8, o));
        assertTrue(e4.getMessage().startsWith(list + ":1: label 5 out of range"), e4.getMessage());
        Path missingList = root.resolve("nope.txt");
        UserException e5 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, missingList, null, 8, o));
        assertEquals(missingList + ": file not found", e5.getMessage());
        // A listed image that does not exist: skipped by default, an error with fail.
        Files.writeString(list, "a.png 1\nmissing.png 1\n");
        assertEquals(1, ListFileReader.read("l", root, list, null, 8, o).size());
        o.onBadImage = BadImagePolicy.FAIL;
        o.cacheDir = dir.resolve("c2");
        UserException e6 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, 8, o));
        assertTrue(e6.getMessage().startsWith(root.resolve("all/missing.png").toString()), e6.getMessage());
    }
}
