package org.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.cli.CliRun;
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

    @Test
    void epochOrderShufflesShardsThenABufferDeterministically() {
        int[] starts = {0, 10, 20, 30, 40};
        int[] e0 = TarShards.epochOrder(starts, 50, 8, 7, 0);
        assertArrayEquals(e0, TarShards.epochOrder(starts, 50, 8, 7, 0));
        assertFalse(Arrays.equals(e0, TarShards.epochOrder(starts, 50, 8, 7, 1)));
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i], "a permutation");
        }
        // a buffer of 1 keeps each shard's samples in order: only the shard order is shuffled
        int[] noBuffer = TarShards.epochOrder(starts, 50, 1, 7, 0);
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
        UserException e = assertThrows(UserException.class, () -> DatasetRegistry.load("shards", out, new DataOptions()));
        assertTrue(e.getMessage().startsWith(shard.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        full[10] ^= 0x55; // a header byte: the checksum no longer matches
        Files.write(shard, full);
        UserException d = assertThrows(UserException.class, () -> DatasetRegistry.load("shards", out, new DataOptions()));
        assertTrue(d.getMessage().equals(shard + ": damaged tar header at byte 0"), d.getMessage());
    }
}
