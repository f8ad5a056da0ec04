package org.selfsup.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup.train.checkpoint.CheckpointFile;
import org.selfsup.train.checkpoint.CheckpointStore;
import org.selfsup.train.checkpoint.CorruptCheckpointException;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private static CheckpointFile.PayloadWriter payload(long step) {
        return out -> {
            out.writeLong(step);
            for (int i = 0; i < 1000; i++) {
                out.writeInt(i * (int) step);
            }
        };
    }

    private static final CheckpointFile.PayloadReader<Long> READER = in -> {
        long step = in.readLong();
        for (int i = 0; i < 1000; i++) {
            if (in.readInt() != i * (int) step) {
                throw new IOException("bad value");
            }
        }
        return step;
    };

    @Test
    void roundTrip() throws IOException {
        Path f = dir.resolve("a.ckpt");
        CheckpointFile.write(f, payload(7));
        assertEquals(7L, CheckpointFile.read(f, READER));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void truncatedAndDamagedFilesAreDetected() throws IOException {
        Path f = dir.resolve("a.ckpt");
        CheckpointFile.write(f, payload(3));
        long size = Files.size(f);
        Path cut = dir.resolve("cut.ckpt");
        Files.copy(f, cut);
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointFile.read(cut, READER));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path flipped = dir.resolve("flip.ckpt");
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(flipped, bytes);
        e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFile.read(flipped, READER));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "this is not a checkpoint at all, but long enough to have a header and trailer");
        e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFile.read(junk, READER));
        assertTrue(e.getMessage().contains("not a selfsup checkpoint"), e.getMessage());
    }

    @Test
    void storeKeepsPreviousAndFallsBack() throws IOException {
        CheckpointStore store = CheckpointStore.forWriting(dir.resolve("checkpoints"));
        assertNull(store.loadLatest(READER, s -> { }));
        store.save(payload(10), 1);
        store.save(payload(20), 0);
        store.save(payload(30), 0);
        List<String> warnings = new ArrayList<>();
        assertEquals(30L, store.loadLatest(READER, warnings::add).value());
        assertTrue(warnings.isEmpty());

        // damage last.ckpt: fall back to previous.ckpt (step 20) and say so
        Path last = store.dir().resolve(CheckpointStore.LAST);
        byte[] bytes = Files.readAllBytes(last);
        bytes[100] ^= 1;
        Files.write(last, bytes);
        CheckpointStore.Loaded<Long> loaded = store.loadLatest(READER, warnings::add);
        assertEquals(20L, loaded.value());
        assertEquals(CheckpointStore.PREVIOUS, loaded.file().getFileName().toString());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("last.ckpt is corrupt") && warnings.get(0).contains("falling back to previous.ckpt"),
                warnings.get(0));

        // truncate previous too: fall back to epoch-0001.ckpt (step 10)
        Path prev = store.dir().resolve(CheckpointStore.PREVIOUS);
        Files.write(prev, Files.readAllBytes(prev), StandardOpenOption.TRUNCATE_EXISTING);
        try (FileChannel ch = FileChannel.open(prev, StandardOpenOption.WRITE)) {
            ch.truncate(50);
        }
        assertEquals(10L, store.loadLatest(READER, s -> { }).value());

        // everything corrupt: a clear user error
        Files.writeString(store.epochFile(1), "x");
        UserException ue = assertThrows(UserException.class, () -> store.loadLatest(READER, s -> { }));
        assertTrue(ue.getMessage().contains("no usable checkpoint"), ue.getMessage());
    }

    /** A kill between the two renames of a save leaves previous.ckpt only: resume uses it. */
    @Test
    void killBetweenRenamesFallsBackToPrevious() throws IOException {
        CheckpointStore store = CheckpointStore.forWriting(dir.resolve("checkpoints"));
        store.save(payload(5), 0);
        store.save(payload(6), 0);
        Files.delete(store.dir().resolve(CheckpointStore.LAST));
        List<String> warnings = new ArrayList<>();
        assertEquals(6L - 1, store.loadLatest(READER, warnings::add).value());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void leftoverTemporaryFilesAreCleaned() throws IOException {
        Path cdir = Files.createDirectories(dir.resolve("checkpoints"));
        Path tmp = cdir.resolve(AtomicFiles.TMP_PREFIX + "new-last.ckpt");
        Files.writeString(tmp, "half written");
        new CheckpointStore(cdir).candidates();
        assertTrue(Files.exists(tmp), "a reader never deletes a writer's temporary file");
        CheckpointStore.forWriting(cdir);
        assertTrue(Files.notExists(tmp));
    }
}
