package org.selfsup.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Atomic file replacement: write a temporary file in the same folder, fsync it, rename it over the
 * target, fsync the folder. A reader (or a process restarted after kill -9) sees either the old or the
 * new complete file, never a half-written one.
 *
 * <p>On Ctrl-C (SIGINT, SIGTERM) a shutdown hook waits (up to {@link #SHUTDOWN_WAIT_SECONDS}) for a write
 * in progress to finish and then keeps any new one from starting, so an interrupted run exits with its
 * newest checkpoint complete rather than abandoned as a temporary file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** How long the shutdown hook waits for a write in progress. */
    public static final long SHUTDOWN_WAIT_SECONDS = 60;

    /** Held while a file (or a group of files, see {@link #exclusive}) is being written. */
    private static final ReentrantLock WRITING = new ReentrantLock();

    static {
        // false when already shutting down: nothing to protect
        ShutdownHooks.add(new Thread(AtomicFiles::finishWrites, "selfsup-finish-writes"));
    }

    /** Shutdown hook: let the write in progress complete, then hold the lock so no other starts. */
    private static void finishWrites() {
        try {
            WRITING.tryLock(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An I/O action. */
    public interface IoAction {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} (several writes and renames that belong together, e.g. a checkpoint rotation) so
     * that an interrupt lets it finish as a whole.
     */
    public static void exclusive(IoAction action) throws IOException {
        WRITING.lock();
        try {
            action.run();
        } finally {
            WRITING.unlock();
        }
    }

    /** Writes the content produced by {@code body}. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Prefix of temporary files; {@link #cleanTemporaries} removes leftovers of a killed process. */
    public static final String TMP_PREFIX = ".tmp-";

    /** Atomically replaces {@code target} with the bytes {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
        exclusive(() -> writeNow(target, body));
    }

    private static void writeNow(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + ProcessHandle.current().pid());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Atomically writes {@code bytes} to {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * A fresh temporary path next to {@code target} (same folder, so a rename is atomic), named so that
     * {@link #cleanTemporaries} recognises it; for outputs that are folders rather than files.
     */
    public static Path tempSibling(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling(TMP_PREFIX + abs.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()));
    }

    /** Atomically writes {@code text} as UTF-8 to {@code target}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Atomically writes {@code data} gzip-compressed (best compression) to {@code target}. */
    public static void writeGzip(Path target, byte[] data) throws IOException {
        write(target, out -> {
            java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                }
            };
            gz.write(data);
            gz.finish();
        });
    }

    /** Atomically copies {@code source} to {@code target}. */
    public static void copy(Path source, Path target) throws IOException {
        write(target, out -> Files.copy(source, out));
    }

    /** Fsyncs a folder so a rename in it is durable (best effort: not every file system allows it). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open or sync a folder; the rename itself is still atomic
        }
    }

    /** Deletes temporary files left in {@code dir} by a process killed while writing. */
    public static void cleanTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith(TMP_PREFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
