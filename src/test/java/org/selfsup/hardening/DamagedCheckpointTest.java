package org.selfsup.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.Checkpoint;

/**
 * A damaged or truncated {@code last.ckpt}, through {@code selfsup train}: the re-run names the file and the
 * damage, falls back to {@code previous.ckpt} saying so, and finishes with the same parameters as before.
 * With every checkpoint damaged it stops with exit code 2 and one line.
 */
class DamagedCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void corruptOrTruncatedLastCheckpointFallsBackToThePreviousOne() throws Exception {
        Path data = ChildRuns.writeData(dir.resolve("data"));
        List<String> args = ChildRuns.trainArgs(dir.resolve("runs"), "d", data, 2);
        args.set(args.indexOf("--knn-every") + 1, "0"); // 2 epochs of 4 steps: checkpoints at steps 3, 4, 6, 8
        ChildRuns.Result first = ChildRuns.inProcess(args);
        assertEquals(0, first.code(), first.all());
        Path ckpts = dir.resolve("runs/d/checkpoints");
        Path last = ckpts.resolve("last.ckpt");
        byte[] reference = ChildRuns.stateBytes(last);
        assertEquals(6, Checkpoint.peek(ckpts.resolve("previous.ckpt")).state().step());

        // one flipped byte in the middle of the payload
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x40);
        }
        ChildRuns.Result r = ChildRuns.inProcess(args);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("warning: checkpoint last.ckpt is corrupt: " + last + ": checksum mismatch")
                && r.out().contains("falling back to previous.ckpt"), r.out());
        assertTrue(r.out().contains("from previous.ckpt at step 6"), r.out());
        assertArrayEquals(reference, ChildRuns.stateBytes(last), "steps 7-8 redone to the same parameters");
        // the damaged file was set aside, not rotated over the good previous.ckpt (found by this test)
        assertTrue(Files.exists(ckpts.resolve("last.ckpt.corrupt")));
        assertEquals(6, Checkpoint.peek(ckpts.resolve("previous.ckpt")).state().step());

        // cut to half its length, as a full disk or a crash of a non-atomic copy would leave it
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        r = ChildRuns.inProcess(args);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("checkpoint last.ckpt is corrupt: " + last + ": truncated"), r.out());
        assertTrue(r.out().contains("from previous.ckpt at step 6"), r.out());
        assertArrayEquals(reference, ChildRuns.stateBytes(last));

        // every checkpoint damaged: a user error naming the folder, no stack trace
        try (var files = Files.list(ckpts)) {
            for (Path p : files.toList()) {
                Files.write(p, new byte[] {1, 2, 3});
            }
        }
        r = ChildRuns.inProcess(args);
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: no usable checkpoint in " + ckpts), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
