package org.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.TestPictures;

/** The commands on streamed image folders: monitor off without a test split, unusable splits, data info notes. */
class StreamedFolderCommandsTest {
    @TempDir
    Path tmp;

    private CliRun train(Path data, String... extra) {
        String[] base = {"train", "--dataset", "imagefolder", "--data-dir", data.toString(), "--method", "byol", "--plan", "byol",
                "--arch", "small", "--width", "8", "--blocks", "1,1,1,1", "--image-size", "16", "--epochs", "1",
                "--batch-size", "8", "--threads", "1", "--device", "cpu", "--runs-dir", tmp.resolve("runs").toString(),
                "--name", "n" + System.nanoTime()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.execute(all);
    }

    /** Issue 10: a folder with only train/ pretrains with the monitor off, said once. */
    @Test
    void trainOnlyFolderPretrainsWithMonitorOff() {
        Path data = TestPictures.folder(tmp.resolve("d"), 2, 8, 0, 24, 18);
        CliRun r = train(data, "--knn-every", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(1, r.out().split("kNN monitor off", -1).length - 1, r.out());
        assertTrue(r.out().contains("it has no test split"), r.out());
        assertEquals(1, r.out().split("linear probe off", -1).length - 1, r.out());
    }

    /** Issue 16 item 3: a test split with no usable image is refused before training, naming it (exit 2). */
    @Test
    void unusableTestSplitExits2NamingItBeforeTraining() throws Exception {
        Path data = TestPictures.folder(tmp.resolve("d"), 2, 8, 0, 24, 18);
        Files.createDirectories(data.resolve("val/c0"));
        Files.writeString(data.resolve("val/c0/x.jpg"), "not a jpeg");
        CliRun r = train(data, "--knn-every", "1");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("imagefolder/val has no usable image"), r.err());
        assertTrue(!r.out().contains("epoch 1"), r.out());
        // the probe after pretraining (the demo preset's fast probe) is refused the same way
        CliRun probe = train(data, "--knn-every", "0");
        assertEquals(2, probe.code(), probe.out() + probe.err());
        assertTrue(probe.err().contains("probe fast: no linear probe possible"), probe.err());
        // no evaluation asked: the same data pretrains
        assertEquals(0, train(data, "--knn-every", "0", "--probe", "").code());
    }

    /** data info says how a list's paths are resolved and which decoder streams the pictures. */
    @Test
    void dataInfoNotesOutsidePathsAndDecoder() throws Exception {
        Path root = tmp.resolve("list");
        TestPictures.png(root.resolve("all/a.png"), 10, 8, 1);
        TestPictures.png(tmp.resolve("elsewhere/b.png"), 10, 8, 2);
        Files.writeString(root.resolve("train.txt"), "a.png 1\n../../elsewhere/b.png 2\n");
        CliRun r = CliRun.execute("data", "info", "--dataset", "listfile", "--data-dir", root.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1 entry points outside " + root.resolve("all")), r.out());
        assertTrue(r.out().contains("decoder: ") && r.out().contains("OpenCV"), r.out());
        assertTrue(r.out().contains("no evaluation (kNN monitor, probes): it has no test split"), r.out());
    }
}
