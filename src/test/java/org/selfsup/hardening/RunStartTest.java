package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.RunDir;

/**
 * What {@code selfsup train} checks before it prints the configuration or loads data: with {@code --resume}
 * there must be a checkpoint (and a missing run folder is not created), and the run folder must not be in
 * use (the lock error used to come after the whole configuration was printed).
 */
class RunStartTest {
    @TempDir
    Path dir;

    @Test
    void resumingAMissingRunLeavesNoFolder() {
        Path runs = dir.resolve("runs");
        ChildRuns.Result r = ChildRuns.inProcess(List.of("train", "--resume", "--name", "missing",
                "--runs-dir", runs.toString()));
        assertEquals(2, r.code(), r.all());
        assertEquals("error: --resume: there is no run folder " + runs.resolve("missing") + " to resume (check --name"
                + " and --runs-dir, or leave out --resume to start the run)", r.err().strip());
        assertEquals("", r.out(), "nothing printed before the error");
        assertFalse(Files.exists(runs.resolve("missing")), "no empty run folder left behind");
    }

    @Test
    void resumingAFolderWithoutCheckpointSaysSo() throws Exception {
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs.resolve("empty/checkpoints"));
        ChildRuns.Result r = ChildRuns.inProcess(List.of("train", "--resume", "--name", "empty",
                "--runs-dir", runs.toString()));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: --resume: run folder " + runs.resolve("empty")
                + " has no checkpoint to resume from"), r.err());
    }

    @Test
    void aLockedFolderFailsBeforeTheConfigurationIsPrinted() {
        Path runs = dir.resolve("runs");
        try (RunDir held = RunDir.open(runs, "busy")) {
            ChildRuns.Result r = ChildRuns.inProcess(List.of("train", "--name", "busy", "--runs-dir",
                    runs.toString()));
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().startsWith("error: run folder " + runs.resolve("busy") + " is in use"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out(), "the configuration is not printed before the lock error");
        }
    }

    /**
     * A start refused after the run folder was opened (ranks disagreeing on the settings, issue 22 item 17)
     * removes what opening it created, and only that.
     */
    @Test
    void aRefusedStartRemovesOnlyWhatOpeningTheFolderCreated() throws Exception {
        Path runs = dir.resolve("runs");
        RunDir fresh = RunDir.open(runs, "fresh");
        fresh.close();
        fresh.removeIfUnused();
        assertFalse(Files.exists(runs), "the folders it made are gone");
        Path kept = Files.createDirectories(runs.resolve("kept"));
        Files.writeString(kept.resolve("notes.txt"), "mine");
        RunDir existing = RunDir.open(runs, "kept");
        existing.close();
        existing.removeIfUnused();
        assertFalse(Files.exists(kept.resolve("checkpoints")), "no empty checkpoints/ left");
        assertFalse(Files.exists(kept.resolve(RunDir.LOCK)));
        assertEquals("mine", Files.readString(kept.resolve("notes.txt")), "what was there stays");
    }

    /** A size that cannot fit is refused before the run folder, the model or a batch exists. */
    @Test
    void aTrainingThatCannotFitIsRefusedUpFront() {
        Path runs = dir.resolve("runs");
        ChildRuns.Result r = ChildRuns.inProcess(List.of("train", "--name", "huge", "--runs-dir", runs.toString(),
                "--image-size", "4096", "--batch-size", "65536", "--device", "cpu"));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: batch-size 65536 x 4 views of 4096 px on small width 16: training needs"
                + " at least "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(runs.resolve("huge")), "no run folder");
    }
}
