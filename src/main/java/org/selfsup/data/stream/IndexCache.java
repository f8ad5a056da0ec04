package org.selfsup.data.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.DataOptions;
import org.selfsup.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of a streamed split (its image files, labels, sizes, the files refused and why) kept on disk,
 * so that listing and header-checking 1.28 million files happens once per folder, not once per run.
 *
 * <p>One file per split under {@code <cache-dir>/index/}, named by a hash of what the index depends on
 * (reader, folder or list file, the options that change the result). It is used only while every folder
 * the index listed, and the list file, still has the modification time and size recorded before it was
 * read: adding, removing or renaming an image changes its folder's stamp, so a changed folder is indexed
 * again. (A file rewritten in place keeps its folder's stamp; its damage is found when it is decoded, under
 * {@code --on-bad-image}.) An index is only kept when its folders had not changed for
 * {@link #SETTLE_NANOS} before indexing began. Like checkpoints, the file ends with a CRC-32C of its content and is replaced
 * atomically; a damaged, truncated or foreign file is reported once and rebuilt. File names are stored as
 * URIs, which keep the bytes of names that are not valid UTF-8. A cache folder that cannot be written only
 * costs the next run the indexing again (one warning).
 */
final class IndexCache {
    private static final Logger LOG = LoggerFactory.getLogger(IndexCache.class);
    private static final byte[] MAGIC = "selfsup-index 1\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final String key;
    private final Path root;

    private IndexCache(Path file, String key, Path root) {
        this.file = file;
        this.key = key;
        this.root = root;
    }

    /**
     * The cache entry of one split.
     *
     * @param o       the data options (their cache folder)
     * @param reader  which reader makes the index, e.g. {@code "imagefolder"}
     * @param root    the folder the split's paths are relative to (stored relative to it)
     * @param source  the folder or list file indexed
     * @param options everything else the index depends on (labels mode, the training split's classes...)
     */
    static IndexCache of(DataOptions o, String reader, Path root, Path source, String options) {
        String key = reader + "\n" + uri(source) + "\n" + uri(root) + "\n" + options;
        String name = reader + "-" + HexFormat.of().formatHex(sha256(key), 0, 12) + ".idx";
        return new IndexCache(o.effectiveCacheDir().resolve("index").resolve(name), key, root);
    }

    /** Where the entry is kept. */
    Path file() {
        return file;
    }

    /**
     * The index kept for this split if it is intact and still describes the files, replayed into a fresh
     * {@link ImageIndexer} (refusals go through its policy again, so {@code fail} still fails and
     * {@code skip} still warns); null if there is none or it is stale or damaged.
     */
    Loaded load(String name, BadImagePolicy policy) {
        if (!Files.isRegularFile(file)) {
            return null; // none yet (a cache folder that cannot hold one is reported by save)
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("{}: cannot read the folder index ({}); indexing again", file, e.getMessage());
            return null;
        }
        try {
            return decode(bytes, name, policy);
        } catch (Damaged e) {
            LOG.warn("{}: folder index is damaged ({}); indexing again", file, e.getMessage());
            return null;
        }
    }

    /**
     * Folders changed this recently before indexing began are not trusted to show a later change: file
     * times advance in clock ticks of a few milliseconds, so a file added within the same tick would leave
     * the stamp as it was (git's "racy clean" problem). Such an index is not kept; the next run indexes
     * again, and keeps it once the folders have settled.
     */
    static final long SETTLE_NANOS = 2_000_000_000L;

    /** Keeps {@code index} (after a successful build) for the next run; failures only warn. */
    void save(ImageIndexer index, List<String> classNames, List<String> notes) {
        long settled = index.startedNanos() - SETTLE_NANOS;
        for (ImageIndexer.Stamp s : index.watched().values()) {
            if (!s.missing() && s.mtimeNanos() > settled) {
                LOG.debug("{}: not kept, a folder changed less than 2 s before indexing", file);
                return;
            }
        }
        try {
            byte[] body = encode(index, classNames, notes);
            CRC32C crc = new CRC32C();
            crc.update(body);
            AtomicFiles.write(file, out -> {
                out.write(body);
                new DataOutputStream(out).writeInt((int) crc.getValue());
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot keep the folder index ({}); the next run indexes again", file, e.getMessage());
        }
    }

    /** An index read back: the replayed indexer, and the class names and notes it was built with. */
    record Loaded(ImageIndexer index, List<String> classNames, List<String> notes) {
        /** The split, as {@link ImageIndexer#build} makes it. */
        StreamedImages build() {
            return index.build(classNames, notes);
        }
    }

    private byte[] encode(ImageIndexer index, List<String> classNames, List<String> notes) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        DataOutputStream out = new DataOutputStream(buf);
        out.write(MAGIC);
        writeString(out, key);
        Map<Path, ImageIndexer.Stamp> watched = index.watched();
        out.writeInt(watched.size());
        for (Map.Entry<Path, ImageIndexer.Stamp> w : watched.entrySet()) {
            writeString(out, uri(w.getKey()));
            out.writeLong(w.getValue().mtimeNanos());
            out.writeLong(w.getValue().size());
            out.writeBoolean(w.getValue().missing());
        }
        writeStrings(out, classNames);
        writeStrings(out, notes);
        writeStrings(out, index.warnings());
        List<StreamedImages.Source> sources = index.sources();
        out.writeInt(sources.size());
        String base = uri(root);
        for (int i = 0; i < sources.size(); i++) {
            String u = uri(sources.get(i).file());
            writeString(out, u.startsWith(base) ? "+" + u.substring(base.length()) : u);
            out.writeLong(sources.get(i).length());
            out.writeInt(index.labels().get(i));
        }
        out.writeInt(index.refused().size());
        for (ImageIndexer.Refused r : index.refused()) {
            writeString(out, r.displayName());
            writeString(out, r.reason());
        }
        out.flush();
        return buf.toByteArray();
    }

    private Loaded decode(byte[] bytes, String name, BadImagePolicy policy) throws Damaged {
        if (bytes.length < MAGIC.length + 4) {
            throw new Damaged("truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
        if ((int) crc.getValue() != stored) {
            throw new Damaged("checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new Damaged("not a selfsup folder index of this version");
            }
            if (!key.equals(readString(in))) {
                return null; // another split with the same hash prefix: rebuild and replace
            }
            int nWatched = in.readInt();
            for (int i = 0; i < nWatched; i++) {
                Path p = Path.of(URI.create(readString(in)));
                ImageIndexer.Stamp then = new ImageIndexer.Stamp(in.readLong(), in.readLong(), in.readBoolean());
                if (!then.equals(ImageIndexer.Stamp.of(p))) {
                    LOG.info("{}: {} changed since it was indexed; indexing again", name, p);
                    return null;
                }
            }
            List<String> classNames = readStrings(in);
            List<String> notes = readStrings(in);
            List<String> warnings = readStrings(in);
            ImageIndexer index = new ImageIndexer(name, policy);
            warnings.forEach(index::warn);
            int n = in.readInt();
            String base = uri(root);
            Path absRoot = root.toAbsolutePath();
            for (int i = 0; i < n; i++) {
                String u = readString(in);
                Path abs = Path.of(URI.create(u.startsWith("+") ? base + u.substring(1) : u));
                // as the reader named it: the root as given, then the path below it
                Path f = abs.startsWith(absRoot) ? root.resolve(absRoot.relativize(abs)) : abs;
                long length = in.readLong();
                index.addIndexed(f, f.toString(), in.readInt(), length);
            }
            int nRefused = in.readInt();
            for (int i = 0; i < nRefused; i++) {
                index.refuse(readString(in), readString(in));
            }
            if (in.read() != -1) {
                throw new Damaged("trailing bytes");
            }
            return new Loaded(index, classNames, notes);
        } catch (EOFException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new Damaged("malformed (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new Damaged(e.getMessage());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException, Damaged {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new Damaged("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException, Damaged {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new Damaged("bad list length " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readString(in));
        }
        return out;
    }

    /** The absolute file URI of {@code p}: percent-escaped bytes, so any file name survives the round trip. */
    private static String uri(Path p) {
        return p.toAbsolutePath().toUri().toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cache file that cannot be used. */
    private static final class Damaged extends Exception {
        Damaged(String message) {
            super(message);
        }
    }
}
