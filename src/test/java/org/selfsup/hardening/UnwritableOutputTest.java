package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.selfsup.train.checkpoint.CheckpointFile;
import org.selfsup.train.checkpoint.CheckpointStore;

/**
 * Outputs that cannot be written. Tests run as root, for whom permissions do not stop a write, so the
 * failures are forced with a path under a regular FILE (ENOTDIR), under {@code /proc} (no new files
 * there), or a file where a folder must go. Each gives exit code 2 and one line, and leaves nothing that
 * looks complete (no target file, no temporary file). A write failing midway (a full disk) keeps the
 * previous checkpoint intact.
 */
class UnwritableOutputTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void tinyRun() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "u", data, 1);
        args.set(args.indexOf("--knn-every") + 1, "0");
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(0, r.code(), r.all());
        Files.writeString(dir.resolve("file"), "a regular file\n");
    }

    static Stream<String> commands() {
        return Stream.of(
                "augment preview --dataset synthetic --count 2 --out FILE/preview.png",
                "augment preview --dataset synthetic --count 2 --out /proc/selfsup-preview.png",
                "report compare RUN --out FILE/compare",
                "report compare RUN --out /proc/selfsup-compare",
                "export --checkpoint CKPT --out FILE/model",
                "export --checkpoint CKPT --out /proc/selfsup-model",
                "embed --checkpoint CKPT --images IMAGES --out FILE/e.csv",
                "eval linear --checkpoint CKPT --dataset mnist --data-dir DATA --protocol fast --epochs 1 --out FILE/p.json",
                "train --runs-dir FILE/runs --name x --dataset mnist --data-dir DATA --epochs 1",
                "train --runs-dir /proc/selfsup-runs --name x --dataset mnist --data-dir DATA --epochs 1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void unwritableOutputIsAUserError(String command) throws IOException {
        Path images = dir.resolve("images");
        if (!Files.exists(images)) {
            Files.createDirectories(images);
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(16, 16,
                    java.awt.image.BufferedImage.TYPE_INT_RGB), "png", images.resolve("a.png").toFile());
        }
        List<String> args = new ArrayList<>();
        for (String a : command.split(" ")) {
            args.add(a.replace("FILE", dir.resolve("file").toString())
                    .replace("CKPT", dir.resolve("runs/u/checkpoints/last.ckpt").toString())
                    .replace("RUN", dir.resolve("runs/u").toString())
                    .replace("IMAGES", images.toString())
                    .replace("DATA", dir.resolve("data").toString()));
        }
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(2, r.code(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(errors.get(0).contains("/file") || errors.get(0).contains("/proc"), "names the path: " + r.err());
        assertEquals("a regular file\n", Files.readString(dir.resolve("file")));
    }

    /** The report cannot create its charts folder: no report.html is left as if complete. */
    @Test
    void reportThatCannotBeWrittenLeavesNoHtml() throws IOException {
        Path run = dir.resolve("runs/copy");
        Files.createDirectories(run);
        Files.copy(dir.resolve("runs/u/metrics.jsonl"), run.resolve("metrics.jsonl"));
        Files.copy(dir.resolve("runs/u/config.yaml"), run.resolve("config.yaml"));
        Files.writeString(run.resolve("charts"), "a file where the charts folder goes\n");
        ChildRuns.Result r = ChildRuns.inProcess(List.of("report", "render", run.toString()));
        assertEquals(2, r.code(), r.all());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(run.resolve("report.html")));
        assertEquals(List.of(), temporaries(run));
    }

    /** metrics.jsonl cannot be opened (a folder is in its place): exit 2 naming it, not an internal error. */
    @Test
    void trainingWhoseMetricsCannotBeWrittenIsAUserError() throws IOException {
        Path runs = dir.resolve("runs2");
        Files.createDirectories(runs.resolve("m/metrics.jsonl"));
        List<String> args = ChildRuns.trainArgs(runs, "m", dir.resolve("data"), 1);
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("metrics.jsonl"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A checkpoint write failing midway (disk full): the old last.ckpt stays, no temporary file is left. */
    @Test
    void checkpointWriteFailingMidwayKeepsThePreviousOne() throws IOException {
        Path ckpts = dir.resolve("full-disk");
        CheckpointStore store = CheckpointStore.forWriting(ckpts);
        store.save(out -> out.write(new byte[] {1, 2, 3}), 0);
        byte[] before = Files.readAllBytes(ckpts.resolve("last.ckpt"));
        IOException e = assertThrows(IOException.class, () -> store.save(out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }, 1));
        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ckpts.resolve("last.ckpt")));
        assertFalse(Files.exists(ckpts.resolve("previous.ckpt")));
        assertFalse(Files.exists(store.epochFile(1)));
        assertEquals(List.of(), temporaries(ckpts));
        CheckpointFile.verify(ckpts.resolve("last.ckpt"));
    }

    private static List<Path> temporaries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".tmp")
                    || f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
