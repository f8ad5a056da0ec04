package org.selfsup.data.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.data.Dataset;
import org.selfsup.data.TestPictures;
import org.selfsup.data.readers.DatasetRegistry;
import org.selfsup.util.UserException;

/** WebDataset-style tar shards: pack, read back the same pictures and labels, WebDataset epoch order. */
class TarShardsTest {
    @TempDir
    Path tmp;

    @Test
    void packedFolderReadsBackAsTheSamePicturesAndLabels() throws Exception {
        Path folder = TestPictures.folder(tmp.resolve("f"), 3, 5, 2, 30, 20);
        Path out = tmp.resolve("shards");
        CliRun r = CliRun.execute("data", "pack", "--dataset", "imagefolder", "--data-dir", folder.toString(),
                "--out", out.toString(), "--shard-size", "4");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(out.resolve("train/train-000003.tar")), r.out()); // 15 images / 4 per shard
        assertEquals(List.of("c0", "c1", "c2"), Files.readAllLines(out.resolve("classes.txt")));

        Dataset a = DatasetRegistry.load("imagefolder", folder, new DataOptions());
        Dataset b = DatasetRegistry.load("shards", out, new DataOptions());
        assertEquals(a.train().classNames(), b.train().classNames());
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertArrayEquals(a.test().labels(), b.test().labels());
        for (int i = 0; i < a.train().size(); i++) {
            assertArrayEquals(a.train().rgb(i).data(), b.train().rgb(i).data(), "image " + i);
        }
        assertTrue(b.fullResolution());
    }

    /** --out inside the packed image folder would add class folders to it: refused before anything is written. */
    @Test
    void packIntoTheSourceFolderIsRefused() throws Exception {
        Path folder = TestPictures.folder(tmp.resolve("f"), 2, 3, 0, 30, 20);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), folder);
        for (Path out : List.of(folder, folder.resolve("packed"), folder.resolve("train/c0/x"),
                link.resolve("packed"), folder.resolve("../f/shards"))) {
            CliRun r = CliRun.execute("data", "pack", "--dataset", "imagefolder", "--data-dir", folder.toString(),
                    "--out", out.toString());
            assertEquals(2, r.code(), out + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: --out: ") && r.err().contains("inside the image folder"), r.err());
        }
        assertFalse(Files.exists(folder.resolve("packed")));
        assertFalse(Files.exists(folder.resolve("train/c0/x")));
        assertFalse(Files.exists(folder.resolve("shards")));
        try (var s = Files.list(folder.resolve("train"))) {
            assertEquals(List.of("c0", "c1"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // beside it is fine
        assertEquals(0, CliRun.execute("data", "pack", "--dataset", "imagefolder", "--data-dir", folder.toString(),
                "--out", tmp.resolve("f-shards").toString()).code());
    }

    @Test
    void epochOrderShufflesShardsThenABufferDeterministically() {
        int[] starts = {0, 10, 20, 30, 40};
        int[] e0 = ShardOrder.epochOrder(starts, 50, 8, 7, 0);
        assertArrayEquals(e0, ShardOrder.epochOrder(starts, 50, 8, 7, 0));
        assertFalse(Arrays.equals(e0, ShardOrder.epochOrder(starts, 50, 8, 7, 1)));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
        // a buffer of 1 keeps each shard's samples in order: only the shard order is shuffled
        int[] noBuffer = ShardOrder.epochOrder(starts, 50, 1, 7, 0);
        for (int k = 0; k < 50; k += 10) {
            int first = noBuffer[k];
            assertEquals(0, first % 10);
            for (int j = 1; j < 10; j++) {
                assertEquals(first + j, noBuffer[k + j]);
            }
        }
        // with a buffer of 8, the k-th sample out is among the first k + 8 of the shard-ordered stream
        int[] streamPos = new int[50];
        for (int k = 0; k < 50; k++) {
            streamPos[noBuffer[k]] = k;
        }
        for (int k = 0; k < 50; k++) {
            assertTrue(streamPos[e0[k]] <= k + 7, "sample " + e0[k] + " out at " + k);
        }
    }

    @Test
    void damagedShardsAreUserErrorsNamingTheFile() throws Exception {
        Path folder = TestPictures.folder(tmp.resolve("f"), 1, 3, 0, 30, 20);
        Path out = tmp.resolve("s");
        assertEquals(0, CliRun.execute("data", "pack", "--dataset", "imagefolder", "--data-dir", folder.toString(),
                "--out", out.toString()).code());
        Path shard = out.resolve("train/train-000000.tar");
        byte[] full = Files.readAllBytes(shard);
        Files.write(shard, Arrays.copyOf(full, 700));
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("shards", out, fail()));
        assertTrue(e.getMessage().startsWith(shard.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        // skip: the shard's samples before the damage are kept (none here), so the split has none
        UserException none = assertThrows(UserException.class, () -> DatasetRegistry.load("shards", out, new DataOptions()));
        assertTrue(none.getMessage().contains("no usable samples") && none.getMessage().contains("truncated"),
                none.getMessage());
        full[10] ^= 0x55; // a header byte: the checksum no longer matches
        Files.write(shard, full);
        UserException d = assertThrows(UserException.class, () -> DatasetRegistry.load("shards", out, fail()));
        assertTrue(d.getMessage().equals(shard + ": damaged tar header at byte 0 (--on-bad-image fail)"), d.getMessage());
    }

    // ---- hostile shards, written byte by byte ----

    private static DataOptions fail() {
        DataOptions o = new DataOptions();
        o.onBadImage = BadImagePolicy.FAIL;
        return o;
    }

    /** A small JPEG's bytes. */
    private byte[] jpeg(int seed) throws IOException {
        Path f = TestPictures.jpeg(tmp.resolve("pictures/p" + seed + ".jpg"), 20 + seed, 14, seed);
        return Files.readAllBytes(f);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A tar archive written member by member, as GNU tar lays it out. */
    private static final class Tar {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** A regular file member with its true size as octal text. */
        Tar member(String name, byte[] data) {
            String octal = String.format(Locale.ROOT, "%011o", data.length);
            byte[] field = Arrays.copyOf(ascii(octal), 12);
            return member(name, data, field);
        }

        /** A regular file member whose 12-byte size field is {@code sizeField}, followed by {@code data}. */
        Tar member(String name, byte[] data, byte[] sizeField) {
            byte[] h = new byte[512];
            System.arraycopy(ascii(name), 0, h, 0, name.length());
            System.arraycopy(ascii("0000644\0"), 0, h, 100, 8);
            System.arraycopy(ascii("0000000\0"), 0, h, 108, 8);
            System.arraycopy(ascii("0000000\0"), 0, h, 116, 8);
            System.arraycopy(sizeField, 0, h, 124, 12);
            System.arraycopy(ascii("00000000000\0"), 0, h, 136, 12);
            h[156] = '0';
            System.arraycopy(ascii("ustar\0" + "00"), 0, h, 257, 8);
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            System.arraycopy(ascii(String.format(Locale.ROOT, "%06o\0 ", sum)), 0, h, 148, 8);
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        /** Offset of the next member's header. */
        int size() {
            return out.size();
        }

        /** The end-of-archive blocks and the padding to a 10240-byte record, as GNU tar and Python's tarfile write. */
        byte[] end() {
            out.writeBytes(new byte[1024]);
            out.writeBytes(new byte[(10240 - out.size() % 10240) % 10240]);
            return out.toByteArray();
        }
    }

    /** A GNU base-256 size field holding {@code v} (two's complement, 0xFF first byte for a negative value). */
    private static byte[] base256(long v) {
        byte[] f = new byte[12];
        Arrays.fill(f, (byte) (v < 0 ? 0xFF : 0));
        for (int i = 0; i < 8; i++) {
            f[11 - i] = (byte) (v >>> (8 * i));
        }
        if (v >= 0) {
            f[0] = (byte) 0x80;
        }
        return f;
    }

    private Path shards(byte[] tar) throws IOException {
        Path root = tmp.resolve("hostile");
        Files.createDirectories(root.resolve("train"));
        Files.write(root.resolve("train/s-000000.tar"), tar);
        return root;
    }

    private static StreamedImages read(Path root, DataOptions o) {
        return TarShards.read("shards/train", root.resolve("train"), null, o);
    }

    /** Issue 22, item 1: a negative GNU base-256 size made the header walk stand still (a hang). */
    @Test
    void negativeOrOversizedMemberSizesAreDamageNamingShardAndMember() throws Exception {
        for (long bad : new long[] {-1024, -512, -1, Long.MIN_VALUE, 1L << 40}) {
            Tar t = new Tar().member("a.jpg", jpeg(1)).member("a.cls", ascii("0\n"));
            byte[] tar = t.member("b.jpg", jpeg(2), base256(bad)).member("b.cls", ascii("1\n")).end();
            Path root = shards(tar);
            Path shard = root.resolve("train/s-000000.tar");
            UserException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(UserException.class, () -> read(root, fail())), "size " + bad);
            assertTrue(e.getMessage().startsWith(shard + ": ") && e.getMessage().contains("'b.jpg'")
                    && e.getMessage().contains(bad < 0 ? "negative size" : "the file ends first")
                    && !e.getMessage().contains("\n"), e.getMessage());
            String[] log = new String[1];
            StreamedImages s = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> BadImagesTest.captureErr(log, () -> read(root, new DataOptions())));
            assertEquals(1, s.size(), "the sample before the damage is kept");
            assertTrue(log[0].contains(shard + ": ") && log[0].contains("'b.jpg'")
                    && log[0].contains("kept the 1 sample(s) read before it"), log[0]);
        }
    }

    /** Issue 22, item 6: a .cls member with a negative size was an IllegalArgumentException, exit 1 with a trace. */
    @Test
    void clsMemberWithANegativeSizeIsACleanError() throws Exception {
        byte[] tar = new Tar().member("a.jpg", jpeg(1)).member("a.cls", ascii("0\n"))
                .member("b.jpg", jpeg(2)).member("b.cls", new byte[0], base256(-1)).end();
        Path root = shards(tar);
        Path shard = root.resolve("train/s-000000.tar");
        CliRun r = CliRun.execute("data", "info", "--dataset", "shards", "--data-dir", root.toString(),
                "--on-bad-image", "fail");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(shard + ": damaged tar header at byte ") && r.err().contains("'b.cls' has a negative size")
                && !r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        CliRun skip = CliRun.execute("data", "info", "--dataset", "shards", "--data-dir", root.toString());
        assertEquals(0, skip.code(), skip.out() + skip.err());
        assertTrue(skip.out().contains("'b.cls' has a negative size"), skip.out());
    }

    /** Issue 22, item 4: a shard cut at a member boundary or inside a header was accepted, shortened. */
    @Test
    void shardWithoutTheEndOfArchiveBlocksIsReportedAsTruncated() throws Exception {
        Tar t = new Tar();
        int[] boundaries = new int[3];
        for (int i = 0; i < 3; i++) {
            boundaries[i] = t.size();
            t.member(i + ".jpg", jpeg(i)).member(i + ".cls", ascii(i + "\n"));
        }
        int endBlocks = t.size();
        byte[] whole = t.end();
        Path root = shards(whole);
        Path shard = root.resolve("train/s-000000.tar");
        assertEquals(3, read(root, fail()).size(), "a whole archive, padded to a record");
        for (int cut : new int[] {boundaries[2], boundaries[2] + 100, endBlocks, endBlocks + 512}) {
            Files.write(shard, Arrays.copyOf(whole, cut));
            UserException e = assertThrows(UserException.class, () -> read(root, fail()), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(shard + ": truncated") && e.getMessage().endsWith("(--on-bad-image fail)"),
                    e.getMessage());
            String[] log = new String[1];
            StreamedImages s = BadImagesTest.captureErr(log, () -> read(root, new DataOptions()));
            int kept = cut < endBlocks ? 2 : 3;
            assertEquals(kept, s.size(), "cut at " + cut);
            assertTrue(log[0].contains(shard + ": truncated") && log[0].contains("kept the " + kept + " sample(s) read before it"),
                    log[0]);
            assertTrue(s.notes().stream().anyMatch(n -> n.contains("truncated")), s.notes().toString());
        }
        Files.write(shard, Arrays.copyOf(whole, boundaries[2]));
        CliRun r = CliRun.execute("data", "info", "--dataset", "shards", "--data-dir", root.toString(),
                "--on-bad-image", "fail");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(shard + ": truncated"), r.err());
    }

    /** Issue 22, item 5: a sample without a .cls member in a labelled split got label -1, fatal in training. */
    @Test
    void sampleWithoutALabelInALabelledSplitIsSkippedOrFails() throws Exception {
        byte[] tar = new Tar().member("a.jpg", jpeg(1)).member("a.cls", ascii("0\n"))
                .member("b.jpg", jpeg(2))
                .member("c.jpg", jpeg(3)).member("c.cls", ascii("1\n")).end();
        Path root = shards(tar);
        Path shard = root.resolve("train/s-000000.tar");
        String[] log = new String[1];
        StreamedImages s = BadImagesTest.captureErr(log, () -> read(root, new DataOptions()));
        assertEquals(2, s.size());
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertTrue(log[0].contains(shard + ":b.jpg: no .cls member") && log[0].contains("key 'b'"), log[0]);
        UserException e = assertThrows(UserException.class, () -> read(root, fail()));
        assertTrue(e.getMessage().startsWith(shard + ":b.jpg: ") && e.getMessage().contains("key 'b'"), e.getMessage());
        // no .cls member at all: an unlabelled split, every sample kept with label -1
        Files.write(shard, new Tar().member("a.jpg", jpeg(1)).member("b.jpg", jpeg(2)).end());
        StreamedImages u = read(root, fail());
        assertArrayEquals(new int[] {-1, -1}, u.labels());
        assertEquals(0, u.numClasses());
    }

    /** Issue 22, item 14: a repeated key relabelled the sample and dropped the second image silently. */
    @Test
    void repeatedKeyInAShardIsReported() throws Exception {
        byte[] tar = new Tar().member("a.jpg", jpeg(1)).member("a.cls", ascii("0\n"))
                .member("b.jpg", jpeg(2)).member("b.cls", ascii("1\n"))
                .member("a.jpg", jpeg(3)).member("a.cls", ascii("1\n")).end();
        Path root = shards(tar);
        Path shard = root.resolve("train/s-000000.tar");
        String[] log = new String[1];
        StreamedImages s = BadImagesTest.captureErr(log, () -> read(root, new DataOptions()));
        assertEquals(1, s.size(), "the ambiguous sample is left out");
        assertArrayEquals(new int[] {1}, s.labels());
        assertTrue(log[0].contains(shard + ":a.jpg: key 'a' appears more than once"), log[0]);
        UserException e = assertThrows(UserException.class, () -> read(root, fail()));
        assertTrue(e.getMessage().startsWith(shard + ":a.jpg: key 'a' appears more than once"), e.getMessage());
        // a second label alone is a repeat too
        Files.write(shard, new Tar().member("a.jpg", jpeg(1)).member("a.cls", ascii("0\n"))
                .member("b.jpg", jpeg(2)).member("b.cls", ascii("1\n")).member("a.cls", ascii("1\n")).end());
        UserException l = assertThrows(UserException.class, () -> read(root, fail()));
        assertTrue(l.getMessage().startsWith(shard + ":a.cls: key 'a' appears more than once"), l.getMessage());
    }
}
