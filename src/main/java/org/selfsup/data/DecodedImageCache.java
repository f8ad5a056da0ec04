package org.selfsup.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a list of image files once into an {@link ImageStore} and keeps the decoded, resized pixels in
 * one binary cache file, so later runs (and every epoch) never decode a JPEG again. Shared by
 * {@link ImageFolderReader} and {@link ListFileReader}.
 *
 * <p>The cache file lives in {@code <cache-dir>/images/} and its name holds a SHA-256 of everything the
 * result depends on: the root folder, the image size, the class names and, for every file, its path,
 * label, byte size and modification time. Any change to the files gives a new key. The file is written
 * atomically. It records the files that could not be decoded, so {@link BadImagePolicy#FAIL} still fails
 * on a cached result that skipped some.
 */
final class DecodedImageCache {
    private static final Logger LOG = LoggerFactory.getLogger(DecodedImageCache.class);
    private static final String MAGIC = "selfsup-decoded-images-v1";

    /** One image file and its label. */
    record Entry(Path file, int label) {}

    private DecodedImageCache() {}

    /**
     * The decoded store of {@code entries}, from the cache when it is up to date.
     *
     * @param name       store name, e.g. {@code "imagefolder/train"}
     * @param root       folder the entries belong to (part of the cache key and file name)
     * @param classNames class names, indexed by label
     * @param size       side length images are resized and cropped to
     */
    static ImageStore load(String name, Path root, List<Entry> entries, List<String> classNames, int size, DataOptions o) {
        if (size < 1) {
            throw new UserException("--image-size must be positive for " + name + ", got " + size);
        }
        String key = key(root, entries, classNames, size);
        Path cacheFile = o.effectiveCacheDir().resolve("images")
                .resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + size + "-" + key.substring(0, 20) + ".bin");
        Decoded d = Files.isRegularFile(cacheFile) ? readCache(cacheFile, key) : null;
        if (d == null) {
            d = decodeAll(entries, size, o.onBadImage);
            writeCache(cacheFile, key, d, size);
        }
        if (!d.skipped.isEmpty()) {
            if (o.onBadImage == BadImagePolicy.FAIL) {
                throw new UserException(d.skipped.get(0) + ": unreadable image");
            }
            if (d.fromCache) {
                LOG.warn("{}: {} unreadable image(s) skipped (first: {})", name, d.skipped.size(), d.skipped.get(0));
            }
        }
        return new ImageStore(name, size, size, 3, d.pixels, d.labels, classNames);
    }

    private static final class Decoded {
        byte[][] pixels;
        int[] labels;
        List<String> skipped = new ArrayList<>();
        boolean fromCache;
    }

    private static Decoded decodeAll(List<Entry> entries, int size, BadImagePolicy policy) {
        byte[][] all = new byte[entries.size()][];
        String[] errors = new String[entries.size()];
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            try {
                all[i] = ImageDecoding.decodeResized(entries.get(i).file(), size);
            } catch (IOException | RuntimeException e) {
                errors[i] = e.getMessage();
            }
        });
        Decoded d = new Decoded();
        List<byte[]> px = new ArrayList<>();
        List<Integer> lab = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            Path f = entries.get(i).file();
            if (all[i] == null) {
                if (policy == BadImagePolicy.FAIL) {
                    throw new UserException(f + ": unreadable image (" + errors[i] + ")");
                }
                LOG.warn("skipping unreadable image {} ({})", f, errors[i]);
                d.skipped.add(f.toString());
                continue;
            }
            px.add(all[i]);
            lab.add(entries.get(i).label());
        }
        d.pixels = px.toArray(new byte[0][]);
        d.labels = lab.stream().mapToInt(Integer::intValue).toArray();
        return d;
    }

    private static String key(Path root, List<Entry> entries, List<String> classNames, int size) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder(MAGIC).append('\n').append(root.toAbsolutePath().normalize())
                    .append('\n').append(size).append('\n').append(String.join("\u0000", classNames)).append('\n');
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            for (Entry e : entries) {
                long len = -1;
                long mtime = -1;
                try {
                    BasicFileAttributes a = Files.readAttributes(e.file(), BasicFileAttributes.class);
                    len = a.size();
                    mtime = a.lastModifiedTime().toMillis();
                } catch (IOException ignored) {
                    // A missing file is part of the key as "missing"; decoding reports it.
                }
                md.update((e.file().toAbsolutePath().normalize() + "\u0000" + e.label() + "\u0000" + len + "\u0000"
                        + mtime + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Decoded readCache(Path file, String key) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (!in.readUTF().equals(MAGIC) || !in.readUTF().equals(key)) {
                return null;
            }
            int size = in.readInt();
            int n = in.readInt();
            Decoded d = new Decoded();
            d.fromCache = true;
            d.pixels = new byte[n][];
            d.labels = new int[n];
            for (int i = 0; i < n; i++) {
                d.labels[i] = in.readInt();
                d.pixels[i] = new byte[size * size * 3];
                in.readFully(d.pixels[i]);
            }
            int skipped = in.readInt();
            for (int i = 0; i < skipped; i++) {
                d.skipped.add(in.readUTF());
            }
            return d;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable cache file {} ({})", file, e.toString());
            return null;
        }
    }

    private static void writeCache(Path file, String key, Decoded d, int size) {
        try {
            AtomicFiles.write(file, os -> {
                DataOutputStream out = new DataOutputStream(os);
                out.writeUTF(MAGIC);
                out.writeUTF(key);
                out.writeInt(size);
                out.writeInt(d.pixels.length);
                for (int i = 0; i < d.pixels.length; i++) {
                    out.writeInt(d.labels[i]);
                    out.write(d.pixels[i]);
                }
                out.writeInt(d.skipped.size());
                for (String s : d.skipped) {
                    out.writeUTF(s);
                }
                out.flush();
            });
        } catch (IOException e) {
            // The cache is an optimisation: a read-only cache directory must not stop the run.
            LOG.warn("cannot write image cache {} ({})", file, e.toString());
        }
    }
}
