package org.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.data.TestPictures;

/** {@code --preresize-max-side} on the command line: a tiny training through the store, one-line errors. */
class PreresizeCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void tinyTrainingReadsThePreresizedStore() throws Exception {
        Path data = TestPictures.folder(tmp.resolve("d"), 2, 8, 2, 40, 30);
        CliRun r = CliRun.execute("train", "--dataset", "imagefolder", "--data-dir", data.toString(), "--method", "byol",
                "--plan", "byol", "--arch", "small", "--width", "8", "--blocks", "1,1,1,1", "--image-size", "16",
                "--epochs", "1", "--batch-size", "8", "--threads", "1", "--device", "cpu", "--knn-every", "1",
                "--runs-dir", tmp.resolve("runs").toString(), "--name", "pre", "--preresize-max-side", "24",
                "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        try (var s = Files.walk(tmp.resolve("cache/preresized"))) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("chunk-")).count(),
                    "one store for train, one for val");
        }
    }

    @Test
    void outOfRangeValueIsOneLineExit2() {
        CliRun info = CliRun.execute("data", "info", "--dataset", "imagefolder", "--data-dir", tmp.toString(),
                "--preresize-max-side", "8");
        assertEquals(2, info.code(), info.out() + info.err());
        assertTrue(info.err().contains("--preresize-max-side must be 0 (off) or between 16 and 16384 pixels, got 8"), info.err());
        assertEquals(1, info.err().strip().lines().count(), info.err());
        CliRun train = CliRun.execute("train", "--dataset", "imagefolder", "--data-dir", tmp.toString(),
                "--preresize-max-side", "99999", "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(2, train.code(), train.out() + train.err());
        assertTrue(train.err().contains("preresize-max-side") && train.err().contains("99999"), train.err());
        assertEquals(1, train.err().strip().lines().count(), train.err());
    }
}
