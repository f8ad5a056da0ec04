package org.selfsup.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.selfsup.util.UserException;

/** Small helpers shared by the binary readers: existence checks and gzip-transparent reading. */
public final class BinaryFiles {
    private BinaryFiles() {}

    /** Throws a {@link UserException} unless {@code dir} is an existing directory. */
    public static Path requireDirectory(Path dir, String what) {
        if (dir == null) {
            throw new UserException(what + ": no data directory given (use --data-dir)");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": " + what + " data directory does not exist");
        }
        return dir;
    }

    /** Throws a {@link UserException} unless {@code file} is an existing regular file. */
    /**
     * Refuses, before it is read, a data set whose pixels cannot fit in what is left of the Java heap (the
     * launcher's default heap is sized by the data set, see README "Java heap"): one line naming the
     * data set and the setting to raise, instead of an OutOfMemoryError after minutes of loading.
     *
     * @param bytes the pixels to hold
     */
    public static void requireHeap(String what, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        if (max == Long.MAX_VALUE) {
            return; // no limit known
        }
        long left = max - (rt.totalMemory() - rt.freeMemory());
        if (bytes > left) {
            throw new UserException(String.format(java.util.Locale.ROOT, "%s: its pixels need %.1f GB of Java heap, "
                    + "more than the %.1f GB left of the %.1f GB heap; give the JVM more, e.g. SELFSUP_HEAP=%dg "
                    + "(launcher) or -Xmx%dg", what, bytes / 1e9, left / 1e9, max / 1e9,
                    (long) Math.ceil(bytes * 1.6 / (1L << 30)) + 1, (long) Math.ceil(bytes * 1.6 / (1L << 30)) + 1));
        }
    }

    public static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": file not found");
        }
        return file;
    }

    /**
     * The directory {@code dir/sub} if it exists, else {@code dir}: accepts both the folder the official
     * archive extracts to and its parent.
     */
    public static Path maybeSub(Path dir, String sub) {
        Path s = dir.resolve(sub);
        return Files.isDirectory(s) ? s : dir;
    }

    /** The first of {@code names} that exists in {@code dir}, or the first name (for the error message). */
    public static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return dir.resolve(names[0]);
    }

    /** All bytes of {@code file}, decompressed if it starts with the gzip magic (not judged by the name). */
    public static byte[] readMaybeGzipped(Path file) {
        requireFile(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             PushbackInputStream in = new PushbackInputStream(raw, 2)) {
            int b0 = in.read();
            int b1 = in.read();
            if (b1 >= 0) {
                in.unread(b1);
            }
            if (b0 >= 0) {
                in.unread(b0);
            }
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    return gz.readAllBytes();
                }
            }
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": file not found");
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new UserException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** {@code data} decompressed if it starts with the gzip magic, else as is; {@code what} names it in errors. */
    public static byte[] maybeGunzip(byte[] data, String what) {
        if (data.length < 2 || (data[0] & 0xFF) != 0x1f || (data[1] & 0xFF) != 0x8b) {
            return data;
        }
        try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return gz.readAllBytes();
        } catch (IOException e) {
            throw new UserException(what + ": corrupt or truncated gzip data (" + e.getMessage() + ")");
        }
    }

    /** Big-endian unsigned 32-bit value at {@code off} as an int (IDX headers). */
    public static int intBE(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** Class names from a text file (one per non-blank line), or {@code fallback} if it does not exist. */
    public static java.util.List<String> classNames(Path file, java.util.List<String> fallback) {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
