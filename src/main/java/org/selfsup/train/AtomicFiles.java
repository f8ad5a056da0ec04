package org.selfsup.train;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: write a temporary file in the same folder, fsync it, rename it over the
 * target, fsync the folder. A reader (or a process restarted after kill -9) sees either the old or the
 * new complete file, never a half-written one.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content produced by {@code body}. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Prefix of temporary files; {@link #cleanTemporaries} removes leftovers of a killed process. */
    public static final String TMP_PREFIX = ".tmp-";

    /** Atomically replaces {@code target} with the bytes {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
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
