package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.augment.ops.CapLongerSide;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;

/** The pre-resized store: geometry, reuse without the originals, damage and change detection, bad files. */
class PreresizedStoreTest {
    @TempDir
    Path tmp;

    /** A folder train/c0 with a 500x375 landscape, a 375x500 portrait and a 200x150 picture. */
    private Path folder() {
        Path root = tmp.resolve("data");
        TestPictures.jpeg(root.resolve("train/c0/a-land.jpg"), 500, 375, 1);
        TestPictures.jpeg(root.resolve("train/c0/b-port.jpg"), 375, 500, 2);
        TestPictures.jpeg(root.resolve("train/c0/c-small.jpg"), 200, 150, 3);
        return root;
    }

    private DataOptions options(int maxSide) {
        DataOptions o = new DataOptions();
        o.preresizeMaxSide = maxSide;
        o.preresizer = CapLongerSide.PIL_BICUBIC;
        o.cacheDir = tmp.resolve("cache");
        return o;
    }

    private static ImageSet train(Path root, DataOptions o) {
        return DatasetRegistry.load("imagefolder", root, o).train();
    }

    private Path onlyChunk() throws IOException {
        try (Stream<Path> s = Files.walk(tmp.resolve("cache/preresized"))) {
            List<Path> chunks = s.filter(p -> p.getFileName().toString().startsWith("chunk-")).toList();
            assertEquals(1, chunks.size(), chunks.toString());
            return chunks.get(0);
        }
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    @Test
    void capsTheLongerSideAndKeepsSmallPicturesWithTheResizedPixelsExactly() throws Exception {
        Path root = folder();
        ImageSet plain = train(root, options(0));
        ImageSet stored = train(root, options(256));
        int[][] expected = {{192, 256}, {256, 192}, {150, 200}};
        CapLongerSide cap = new CapLongerSide(256, org.selfsup.augment.ops.Resampling.BICUBIC);
        for (int i = 0; i < 3; i++) {
            Image img = stored.rgb(i);
            assertEquals(expected[i][0], img.height(), "height of " + i);
            assertEquals(expected[i][1], img.width(), "width of " + i);
            assertEquals(cap.apply(plain.rgb(i)), img, "lossless store of image " + i);
        }
        assertEquals(plain.rgb(2), stored.rgb(2));
    }

    @Test
    void secondLoadReusesTheStoreAndReadsWithoutTheOriginals() throws Exception {
        Path root = folder();
        Image before = train(root, options(256)).rgb(0);
        Path chunk = onlyChunk();
        Object key = fileKey(chunk);
        ImageSet again = train(root, options(256));
        assertEquals(key, fileKey(chunk), "the chunk was rewritten instead of reused");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(before, again.rgb(0));
        assertEquals(192, again.rgb(0).height());
        assertEquals(256, again.rgb(1).height());
    }

    @Test
    void damagedEntryIsDetectedReadFromTheOriginalAndRebuiltAtTheNextStart() throws Exception {
        Path root = folder();
        Image good = train(root, options(256)).rgb(0);
        Path chunk = onlyChunk();
        try (RandomAccessFile f = new RandomAccessFile(chunk.toFile(), "rw")) {
            f.seek(100); // inside entry 0 (a PNG of several kB)
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0xFF);
        }
        ImageSet damaged = train(root, options(256));
        assertEquals(good, damaged.rgb(0), "same pixels from the original");
        assertFalse(Files.exists(chunk), "the damaged chunk is removed so that it is rebuilt");
        assertEquals(256, damaged.rgb(1).height(), "the chunk's other images come from their originals too");
        ImageSet rebuilt = train(root, options(256));
        assertTrue(Files.exists(chunk), "rebuilt at the next start");
        assertEquals(good, rebuilt.rgb(0));
    }

    @Test
    void partialChunkIsRebuiltNotUsed() throws Exception {
        Path root = folder();
        Image good = train(root, options(256)).rgb(1);
        Path chunk = onlyChunk();
        byte[] all = Files.readAllBytes(chunk);
        Files.write(chunk, java.util.Arrays.copyOf(all, all.length / 2));
        Object key = fileKey(chunk);
        ImageSet s = train(root, options(256));
        assertNotEquals(key, fileKey(chunk), "a partial chunk must be rewritten");
        assertEquals(all.length, Files.size(chunk));
        assertEquals(good, s.rgb(1));
    }

    @Test
    void changedSourceInvalidatesTheStore() throws Exception {
        Path root = folder();
        assertEquals(192, train(root, options(256)).rgb(0).height());
        Path a = root.resolve("train/c0/a-land.jpg");
        TestPictures.jpeg(a, 600, 300, 9);
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        Image img = train(root, options(256)).rgb(0);
        assertEquals(128, img.height());
        assertEquals(256, img.width());
        assertEquals(new CapLongerSide(256, org.selfsup.augment.ops.Resampling.BICUBIC).apply(train(root, options(0)).rgb(0)), img);
    }

    @Test
    void otherCapIsAnotherStoreAndRebuildsAreBitIdentical() throws Exception {
        Path root = folder();
        Image at256 = train(root, options(256)).rgb(0);
        Image at128 = train(root, options(128)).rgb(0);
        assertEquals(96, at128.height());
        DataOptions elsewhere = options(256);
        elsewhere.cacheDir = tmp.resolve("cache2");
        assertEquals(at256, train(root, elsewhere).rgb(0));
    }

    @Test
    void badFilesFollowOnBadImage() throws Exception {
        Path root = folder();
        byte[] jpeg = Files.readAllBytes(root.resolve("train/c0/a-land.jpg"));
        Files.write(root.resolve("train/c0/a-land.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length - 200)); // truncated
        ImageSet skip = train(root, options(256));
        assertEquals(3, skip.size());
        assertEquals(256, skip.rgb(0).height(), "the truncated picture's place is taken by the next one (portrait)");
        DataOptions fail = options(256);
        fail.onBadImage = BadImagePolicy.FAIL;
        fail.cacheDir = tmp.resolve("cache-fail");
        UserException e = assertThrows(UserException.class, () -> train(root, fail));
        assertTrue(e.getMessage().contains("a-land.jpg") && e.getMessage().contains("--on-bad-image fail"), e.getMessage());
    }

    @Test
    void outOfRangeOrNonStreamedIsAUserError() {
        Path root = folder();
        UserException low = assertThrows(UserException.class, () -> train(root, options(8)));
        assertEquals("--preresize-max-side must be 0 (off) or between 16 and 16384 pixels, got 8", low.getMessage());
        assertThrows(UserException.class, () -> train(root, options(-1)));
        assertThrows(UserException.class, () -> train(root, options(20000)));
        UserException other = assertThrows(UserException.class,
                () -> DatasetRegistry.load("synthetic", null, options(64)));
        assertTrue(other.getMessage().contains("streamed data sets"), other.getMessage());
    }
}
