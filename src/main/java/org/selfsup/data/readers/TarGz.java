package org.selfsup.data.readers;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * A minimal reader for gzip-compressed tar archives (ustar and GNU long names), enough for the official
 * CIFAR and STL-10 archives. Only regular files and directories are extracted; links and special files are
 * skipped, and entries whose path would leave the target directory are rejected. Each file is written
 * atomically.
 */
public final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * Extracts {@code archive} into {@code dest}.
     *
     * @return the extracted regular files, in archive order
     */
    public static List<Path> extract(Path archive, Path dest) throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = dest.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;
                }
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                if (type == 'L') {
                    byte[] data = readData(in, size);
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new UserException(archive + ": entry '" + name + "' points outside the target folder");
                }
                if (type == '0' || type == '\0' || type == '7') {
                    Files.createDirectories(target.getParent());
                    AtomicFiles.write(target, os -> copy(in, os, size));
                    skip(in, padding(size));
                    out.add(target);
                } else {
                    if (type == '5') {
                        Files.createDirectories(target);
                    }
                    skip(in, size + padding(size));
                }
            }
        } catch (EOFException e) {
            throw new UserException(archive + ": truncated archive");
        }
        return out;
    }

    private static String name(byte[] h) {
        String n = cString(h, 0, 100);
        String magic = cString(h, 257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                n = prefix + "/" + n;
            }
        }
        return n;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        if ((b[off] & 0x80) != 0) {
            // GNU base-256 encoding for sizes >= 8 GiB.
            long v = b[off] & 0x7F;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (b[off + i] & 0xFF);
            }
            return v;
        }
        String s = cString(b, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad tar header size field '" + s + "'");
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException();
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        byte[] d = in.readNBytes((int) size);
        if (d.length < size) {
            throw new EOFException();
        }
        skip(in, padding(size));
        return d;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                s = 1;
            }
            left -= s;
        }
    }
}
