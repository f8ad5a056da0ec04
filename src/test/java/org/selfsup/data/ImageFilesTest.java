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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.data.stream.ImageFolderReader;
import org.selfsup.data.stream.ListFileReader;
import org.selfsup.data.stream.StreamedImages;
import org.selfsup.util.UserException;

/** Image folders and list files: classes, labels, streamed pixels, bad entries. */
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

    private void assertImage(ImageSet s, int i, int seed) {
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(value(seed, c, y, x), s.rgb(i).get(y, x, c), "image " + i + " y" + y + " x" + x + " c" + c);
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
        ImageSet s = ImageFolderReader.read("f/train", train, null, opts());
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
        ImageSet s = ImageFolderReader.read("t", train, null, opts());
        assertEquals(2, s.size());
        assertImage(s, 1, 2);

        DataOptions fail = opts();
        fail.onBadImage = BadImagePolicy.FAIL;
        UserException e = assertThrows(UserException.class, () -> ImageFolderReader.read("t", train, null, fail));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("--on-bad-image fail"), e.getMessage());
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
        UserException e = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, o));
        assertEquals(list + ":2: expected 'relative/path label', got 'a.png'", e.getMessage());
        Files.writeString(list, "a.png one\n");
        UserException e2 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, o));
        assertEquals(list + ":1: label 'one' is not an integer", e2.getMessage());
        Files.writeString(list, "a.png 1\na.png 0\n");
        UserException e3 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, o));
        assertTrue(e3.getMessage().startsWith(list + ":2: label 0"), e3.getMessage());
        Files.writeString(list, "a.png 5\n");
        UserException e4 = assertThrows(UserException.class,
                () -> ListFileReader.read("l", root, list, List.of("x", "y"), o));
        assertTrue(e4.getMessage().startsWith(list + ":1: label 5 out of range"), e4.getMessage());
        Path missingList = root.resolve("nope.txt");
        UserException e5 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, missingList, null, o));
        assertEquals(missingList + ": file not found", e5.getMessage());
        // A listed image that does not exist: skipped by default, an error with fail.
        Files.writeString(list, "a.png 1\nmissing.png 1\n");
        assertEquals(1, ListFileReader.read("l", root, list, null, o).size());
        o.onBadImage = BadImagePolicy.FAIL;
        UserException e6 = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, o));
        assertTrue(e6.getMessage().startsWith(root.resolve("all/missing.png").toString()), e6.getMessage());
    }

    /** Issue 16 item 1: train/{a,b,b2,c} and val/{a,c}: val's c keeps train's label of c; b2 is reported empty. */
    @Test
    void classesAreMatchedByNameAcrossSplits() throws IOException {
        Path root = dir.resolve("root");
        png(root.resolve("train/a/1.png"), 1);
        png(root.resolve("train/b/1.png"), 2);
        Files.createDirectories(root.resolve("train/b2"));
        png(root.resolve("train/c/1.png"), 3);
        png(root.resolve("val/a/1.png"), 4);
        png(root.resolve("val/c/1.png"), 5);
        Dataset d = DatasetRegistry.load("imagefolder", root, opts());
        assertEquals(List.of("a", "b", "b2", "c"), d.test().classNames());
        assertArrayEquals(new int[] {0, 3}, d.test().labels());
        assertTrue(((StreamedImages) d.train()).notes().toString().contains("empty class folder(s)"),
                ((StreamedImages) d.train()).notes().toString());
        png(root.resolve("val/d/1.png"), 6);
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("imagefolder", root, opts()));
        assertTrue(e.getMessage().startsWith(root.resolve("val/d") + ": class 'd' is not a class of the training split"),
                e.getMessage());
    }

    /** Unlabelled collections: --labels none reads every image below the folder; a train-only folder has no test split. */
    @Test
    void unlabelledAndTrainOnlyFolders() throws IOException {
        Path root = dir.resolve("photos");
        png(root.resolve("train/2019/x.png"), 1);
        png(root.resolve("train/y.png"), 2);
        DataOptions o = opts();
        o.unlabelled = true;
        Dataset d = DatasetRegistry.load("imagefolder", root, o);
        assertEquals(2, d.train().size());
        assertArrayEquals(new int[] {-1, -1}, d.train().labels());
        assertEquals("its training images are unlabelled", d.whyNoEvaluation());
        // the same folder read as classes: 2019 is the one class, the loose file is not a sample (as torchvision)
        assertEquals(List.of("2019"), DatasetRegistry.load("imagefolder", root, opts()).train().classNames());
        png(root.resolve("train/2019/z.png"), 3);
        Files.delete(root.resolve("train/y.png"));
        Dataset trainOnly = DatasetRegistry.load("imagefolder", root, opts());
        assertEquals(null, trainOnly.test());
        assertEquals("it has no test split", trainOnly.whyNoEvaluation());
        assertTrue(trainOnly.evaluationAbsent());
    }

    /** An empty test split (all images unreadable) is kept empty, so training can refuse it naming the split. */
    @Test
    void unusableTestSplitIsReportedNotHidden() throws IOException {
        Path root = dir.resolve("root");
        png(root.resolve("train/a/1.png"), 1);
        Files.createDirectories(root.resolve("val/a"));
        Files.write(root.resolve("val/a/1.png"), new byte[0]);
        Dataset d = DatasetRegistry.load("imagefolder", root, opts());
        assertEquals(0, d.test().size());
        assertEquals("its test split imagefolder/val has no usable image", d.whyNoEvaluation());
        assertTrue(!d.evaluationAbsent());
    }

    /** Issue 16 items 5 and 10: a huge list label is a fast error; paths outside the image folder are noted. */
    @Test
    void listLabelsAreBoundedAndOutsidePathsNoted() throws IOException {
        Path root = dir.resolve("list");
        png(root.resolve("all/a.png"), 1);
        png(dir.resolve("outside/b.png"), 2);
        Path list = root.resolve("train.txt");
        Files.writeString(list, "a.png 1000000000\n");
        UserException e = assertThrows(UserException.class, () -> ListFileReader.read("l", root, list, null, opts()));
        assertEquals(list + ":1: label 1000000000 is above the limit of 100000 classes (label base 1)", e.getMessage());
        Files.writeString(list, "a.png 1\n../../outside/b.png 1\n" + dir.resolve("outside/b.png") + " 1\n");
        StreamedImages s = ListFileReader.read("l", root, list, null, opts());
        assertEquals(3, s.size());
        assertTrue(s.notes().get(0).startsWith("2 entries point outside " + root.resolve("all")), s.notes().toString());
    }

    /** Issue 16 item 6: a file name that is not valid UTF-8 (made with the shell) is listed and read. */
    @Test
    void nonUtf8FileNamesAreRead() throws Exception {
        Path train = dir.resolve("train");
        png(train.resolve("a/plain.png"), 1);
        png(train.resolve("a/caf\u00e9 \u00fc.png"), 2);
        Process p = new ProcessBuilder("sh", "-c", "cp plain.png \"$(printf 'bad\\377name.png')\"")
                .directory(train.resolve("a").toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        StreamedImages s = ImageFolderReader.read("t", train, null, opts());
        assertEquals(3, s.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(8, s.rgb(i).width(), s.displayName(i));
        }
    }

    /** Issue 16 item 6: under LANG=C (an ASCII locale) a folder with non-ASCII names is still read whole. */
    @Test
    void nonAsciiNamesUnderAsciiLocale() throws Exception {
        Path train = dir.resolve("root/train");
        png(train.resolve("caf\u00e9/\u00e9t\u00e9 1.png"), 1);
        png(train.resolve("caf\u00e9/plain.png"), 2);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "org.selfsup.cli.Main", "data", "info", "--dataset", "imagefolder", "--data-dir", dir.resolve("root").toString())
                .redirectErrorStream(true);
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("imagefolder/train                 2"), out);
    }
}
