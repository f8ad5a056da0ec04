package org.selfsup.data.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.TestPictures;
import org.selfsup.util.UserException;

/**
 * The folder index kept under the cache folder: used while the folders are unchanged, rebuilt when a
 * folder or the list changes or the file is damaged, refusals replayed under the current policy.
 *
 * <p>The tests learn whether a load was served from the cache by emptying an indexed image in place:
 * that changes neither its folder's stamp nor the index, so a cached load still lists it, whereas a
 * fresh index refuses the empty file.
 */
class IndexCacheTest {
    @TempDir
    Path tmp;

    private Path data;
    private DataOptions o;

    @BeforeEach
    void setUp() {
        data = tmp.resolve("data");
        o = new DataOptions();
        o.cacheDir = tmp.resolve("cache");
    }

    /** Three pictures per class; folder times set in the past so that a later change is always visible. */
    private Path folder(String... classes) throws IOException {
        Path train = data.resolve("train");
        int seed = 0;
        for (String c : classes) {
            for (int i = 0; i < 3; i++) {
                TestPictures.png(train.resolve(c).resolve("i" + i + ".png"), 8, 6, seed++);
            }
        }
        age(train);
        return train;
    }

    private static void age(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(d, FileTime.fromMillis(1_600_000_000_000L));
            }
        }
    }

    private StreamedImages read(Path dir) {
        return ImageFolderReader.read("imagefolder/train", dir, null, o);
    }

    private List<Path> cacheFiles() throws IOException {
        Path idx = o.cacheDir.resolve("index");
        if (!Files.isDirectory(idx)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(idx)) {
            return s.toList();
        }
    }

    /** Empties an indexed file in place; its folder's modification time is kept as it was. */
    private static void emptyInPlace(Path file) throws IOException {
        FileTime dirTime = Files.getLastModifiedTime(file.getParent());
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file.getParent(), dirTime);
    }

    @Test
    void aFolderIsIndexedOnceAndIndexedAgainWhenItChanges() throws IOException {
        Path train = folder("a", "b");
        StreamedImages first = read(train);
        assertEquals(6, first.size());
        assertEquals(1, cacheFiles().size(), "one index file per split");

        emptyInPlace(train.resolve("a/i0.png"));
        StreamedImages cached = read(train);
        assertEquals(6, cached.size(), "served from the index: the emptied file is not checked again");
        assertEquals(first.classNames(), cached.classNames());
        for (int i = 0; i < 6; i++) {
            assertEquals(first.displayName(i), cached.displayName(i), "names as the reader gives them");
            assertEquals(first.label(i), cached.label(i));
            assertEquals(first.source(i), cached.source(i));
        }
        assertArrayEquals(first.rgb(3).data(), cached.rgb(3).data());

        TestPictures.png(train.resolve("b/new1.png"), 8, 6, 40);
        TestPictures.png(train.resolve("b/new2.png"), 8, 6, 41);
        assertEquals(7, read(train).size(), "a changed class folder: indexed again (5 good + 2 new)");
        assertEquals(1, cacheFiles().size(), "the entry is replaced, not added to");
    }

    @Test
    void aNewOrRemovedClassFolderIsAChangeOfTheSplit() throws IOException {
        Path train = folder("a", "b");
        read(train);
        emptyInPlace(train.resolve("a/i0.png"));
        TestPictures.png(train.resolve("c/i0.png"), 8, 6, 9);
        StreamedImages again = read(train);
        assertEquals(List.of("a", "b", "c"), again.classNames());
        assertEquals(6, again.size(), "indexed again: 5 good in a and b, 1 in c");
    }

    @Test
    void aDamagedIndexIsRebuiltNeverUsed() throws IOException {
        Path train = folder("a", "b");
        read(train);
        Path idx = cacheFiles().get(0);
        byte[] good = Files.readAllBytes(idx);
        for (int at : new int[] {good.length / 2, good.length - 1, 3}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x20;
            Files.write(idx, bad);
            assertEquals(6, read(train).size());
            assertArrayEquals(good, Files.readAllBytes(idx), "rebuilt to the same content (byte " + at + " flipped)");
        }
        Files.write(idx, java.util.Arrays.copyOf(good, good.length / 3));
        assertEquals(6, read(train).size(), "truncated: rebuilt");
        Files.write(idx, "not an index".getBytes(StandardCharsets.US_ASCII));
        emptyInPlace(train.resolve("a/i0.png"));
        assertEquals(5, read(train).size(), "a foreign file is not taken for an index: the folder is indexed again");
    }

    @Test
    void refusedFilesAreRememberedAndGoThroughTheCurrentPolicy() throws IOException {
        Path train = folder("a", "b");
        Files.writeString(train.resolve("a/notes.jpg"), "not a picture");
        age(train);
        assertEquals(6, read(train).size(), "skip: the non-image is left out");
        assertTrue(read(train).notes().stream().anyMatch(n -> n.contains("1 unreadable file(s) skipped")),
                "the cached index keeps the note");
        o.onBadImage = BadImagePolicy.FAIL;
        UserException e = assertThrows(UserException.class, () -> read(train));
        assertTrue(e.getMessage().contains("notes.jpg") && e.getMessage().contains("--on-bad-image fail"),
                e.getMessage());
    }

    @Test
    void theTestSplitsIndexDependsOnTheTrainingClasses() throws IOException {
        Path train = folder("a", "b");
        TestPictures.png(data.resolve("val/b/v.png"), 8, 6, 3);
        StreamedImages one = ImageFolderReader.read("imagefolder/val", data.resolve("val"), List.of("a", "b"), o);
        StreamedImages two = ImageFolderReader.read("imagefolder/val", data.resolve("val"), List.of("b"), o);
        assertEquals(1, one.label(0));
        assertEquals(0, two.label(0), "not the index made for other training classes");
        assertEquals(6, read(train).size());
    }

    @Test
    void fileNamesThatAreNotUtf8SurviveTheIndex() throws IOException {
        Path train = folder("a");
        Path odd = Path.of(URI.create(train.resolve("a").toUri() + "x%FF%FE.png"));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(TestPictures.picture(8, 6, 7), "png", png);
        Files.write(odd, png.toByteArray()); // not through java.io.File, whose String name would lose the bytes
        age(train);
        StreamedImages first = read(train);
        StreamedImages cached = read(train);
        assertEquals(4, cached.size());
        int at = -1;
        for (int i = 0; i < cached.size(); i++) {
            if (cached.source(i).file().equals(odd)) {
                at = i;
            }
        }
        assertTrue(at >= 0, "the raw file name is kept");
        assertArrayEquals(first.rgb(at).data(), cached.rgb(at).data());
    }

    @Test
    void listFilesAreIndexedOnceUntilTheListChanges() throws IOException {
        Path all = data.resolve("all");
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            TestPictures.png(all.resolve("c" + (i % 2)).resolve(i + ".png"), 8, 6, i);
            list.append("c").append(i % 2).append('/').append(i).append(".png ").append(1 + i % 2).append('\n');
        }
        age(all);
        Path listFile = data.resolve("train.txt");
        Files.writeString(listFile, list);
        Files.setLastModifiedTime(listFile, FileTime.fromMillis(1_600_000_000_000L));
        assertEquals(4, ListFileReader.read("listfile/train", data, listFile, null, o).size());
        emptyInPlace(all.resolve("c0/0.png"));
        assertEquals(4, ListFileReader.read("listfile/train", data, listFile, null, o).size(), "cached");
        Files.writeString(listFile, list + "c1/3.png 2\n");
        StreamedImages changed = ListFileReader.read("listfile/train", data, listFile, null, o);
        assertEquals(4, changed.size(), "the list changed: indexed again (3 good of 4, plus the new line)");
    }

    @Test
    void aFolderChangedJustBeforeIndexingIsNotKept() throws IOException {
        Path train = folder("a", "b");
        TestPictures.png(train.resolve("b/fresh.png"), 8, 6, 5); // b changes now
        read(train);
        assertEquals(List.of(), cacheFiles(), "b might still change within the clock tick of its stamp");
        age(train);
        read(train);
        assertEquals(1, cacheFiles().size(), "settled folders: kept");
    }

    @Test
    void aCacheFolderThatCannotBeWrittenOnlyCostsTheIndexing() throws IOException {
        Path train = folder("a", "b");
        Files.writeString(tmp.resolve("file"), "x");
        o.cacheDir = tmp.resolve("file"); // a file, not a folder: nothing can be created below it
        assertEquals(6, read(train).size());
        assertEquals(6, read(train).size());
        assertFalse(Files.isDirectory(tmp.resolve("file")));
    }

    @Test
    void longIndexingShowsProgressAndASummary() throws IOException {
        Path train = folder("a", "b", "c");
        PrintStream saved = System.err;
        long interval = ImageIndexer.Progress.intervalMillis;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            ImageIndexer.Progress.intervalMillis = 0;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            read(train);
        } finally {
            System.setErr(saved);
            ImageIndexer.Progress.intervalMillis = interval;
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("indexing imagefolder/train: 2 of 3 class folders (67%), ETA"), text);
        assertTrue(text.contains("indexing imagefolder/train: 9 images (0 skipped) in 0:00:00"), text);
    }
}
