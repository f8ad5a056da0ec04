package org.selfsup.data.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.selfsup.data.BadImageException;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Normalization;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.UserException;

/**
 * WebDataset-style tar shards: each sample is a group of members sharing a key ({@code KEY.jpg} or
 * {@code .jpeg/.png/.webp} with the image's bytes, and {@code KEY.cls} with its integer label as text),
 * as PyTorch users keep ImageNet on clusters. A split is a folder of {@code *.tar} files ({@code train/},
 * {@code val/} or {@code test/}); an optional {@code classes.txt} beside them names the labels (one name
 * per line), else labels are named by their numbers.
 *
 * <p>Reading indexes each shard once by walking its 512-byte headers (ustar, GNU long names and pax
 * {@code path} records), keeping each image member's offset and length: images are then read and decoded
 * as they are needed ({@link StreamedImages}). The epoch order is WebDataset's ({@link ShardOrder#epochOrder}): the
 * shards shuffled, then the samples through a shuffle buffer, both from {@code (seed, epoch)}; reads
 * within a shard stay mostly sequential.
 *
 * <p>A damaged shard (a bad header checksum, a negative size or one past the end of the file, or no
 * end-of-archive blocks: a truncated file), a key repeated within a shard and, in a labelled split, a
 * sample without a {@code .cls} member go through {@code --on-bad-image}: under fail an error naming the
 * shard (and member), under skip a warning, the damaged shard's samples before the damage being kept.
 */
public final class TarShards {
    /** Default shuffle-buffer size (samples), WebDataset's usual 1,000-5,000. */
    public static final int DEFAULT_BUFFER = 2000;
    private static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "webp");

    /** WebDataset shards: {@code train/*.tar}, optional {@code val/*.tar} or {@code test/*.tar}, streamed. */
    public static final DatasetDefinition DATASET = DatasetDefinition.named("shards")
            .files("train/*.tar, optional val/*.tar, WebDataset KEY.jpg + KEY.cls (streamed)")
            .viewSize(224).normalization(Normalization.IMAGENET).streamed()
            .reader((root, o) -> {
                String n = "shards";
                StreamedImages train = read(n + "/train", root.resolve("train"), null, o);
                Path testDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
                StreamedImages test = Files.isDirectory(testDir)
                        ? read(n + "/" + testDir.getFileName(), testDir, train.classNames(), o) : null;
                return PreresizedStore.splits(train, root.resolve("train"), test, testDir, o);
            });

    private TarShards() {}

    /**
     * Indexes the shards of one split.
     *
     * @param classNames the training split's classes when reading a test split, else null (then
     *                   {@code classes.txt} beside the split folder, or the numbers of the labels)
     */
    public static StreamedImages read(String name, Path splitDir, List<String> classNames, DataOptions o) {
        BinaryFiles.requireDirectory(splitDir, name);
        List<Path> shards;
        try (Stream<Path> s = Files.list(splitDir)) {
            shards = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tar")).sorted().toList();
        } catch (IOException e) {
            throw new UserException(splitDir + ": cannot list (" + e.getMessage() + ")");
        }
        if (shards.isEmpty()) {
            throw new UserException(splitDir + ": no .tar shards");
        }
        ImageIndexer index = new ImageIndexer(name, o.onBadImage);
        List<ShardIndex> indexed = new ArrayList<>();
        boolean anyLabel = false;
        for (Path shard : shards) {
            ShardIndex si = index(shard);
            for (Sample sample : si.samples()) {
                if (sample.label >= ListFileReader.MAX_CLASSES || (classNames != null && sample.label >= classNames.size())) {
                    throw new UserException(shard + ":" + sample.displayName() + ": label " + sample.label + " out of range ("
                            + (classNames != null ? classNames.size() + " classes in the training split" : "at most "
                            + ListFileReader.MAX_CLASSES + " classes") + ")");
                }
                anyLabel |= sample.label >= 0 && sample.image != null;
            }
            indexed.add(si);
        }
        // a labelled split: some sample has a label, classes.txt names the classes, or (a test split) the
        // training split has classes; then a sample without a .cls member has no usable label
        Path classesFile = splitDir.getParent() == null ? null : splitDir.getParent().resolve("classes.txt");
        boolean labelled = classNames != null ? !classNames.isEmpty()
                : anyLabel || (classesFile != null && Files.isRegularFile(classesFile));
        List<StreamedImages.Source> sources = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        int[] starts = new int[shards.size()];
        int maxLabel = -1;
        for (int s = 0; s < shards.size(); s++) {
            starts[s] = sources.size();
            Path shard = shards.get(s);
            ShardIndex si = indexed.get(s);
            if (si.damage() != null) {
                o.onBadImage.onBadFile(shard.toString(), si.damage()); // under fail, the error
            }
            for (Sample sample : si.samples()) {
                String where = shard + ":" + sample.displayName();
                if (sample.repeated != null) {
                    index.refuse(shard + ":" + sample.repeated, "key '" + sample.key + "' appears more than once in the "
                            + "shard (which member belongs to the sample is ambiguous)");
                    continue;
                }
                if (sample.image == null) {
                    index.refuse(where, "no image member for key '" + sample.key + "'");
                    continue;
                }
                if (sample.label < 0 && labelled) {
                    index.refuse(where, "no .cls member (label) for key '" + sample.key + "' in a labelled split");
                    continue;
                }
                sources.add(sample.image);
                names.add(where);
                labels.add(sample.label);
                maxLabel = Math.max(maxLabel, sample.label);
            }
            if (si.damage() != null) {
                String warning = shard + ": " + si.damage() + "; kept the " + (sources.size() - starts[s])
                        + " sample(s) read before it";
                index.warn(warning);
                damaged.add(warning);
            }
        }
        if (sources.isEmpty() && classNames == null) {
            throw new UserException(splitDir + ": no usable samples in " + shards.size() + " shard(s)"
                    + (index.refused().isEmpty() ? "" : " (" + index.refused().size() + " skipped, first: "
                    + index.refused().get(0).displayName() + ": " + index.refused().get(0).reason() + ")")
                    + (damaged.isEmpty() ? "" : " (" + damaged.get(0) + ")"));
        }
        List<String> classes = classNames != null ? classNames : classNames(splitDir.getParent(), maxLabel + 1);
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        List<String> notes = new ArrayList<>(List.of(shards.size() + " shard(s), read in WebDataset order (shards "
                + "shuffled, then a " + DEFAULT_BUFFER + "-sample shuffle buffer)"));
        damaged.forEach(d -> notes.add("damaged shard " + d));
        index.refused().forEach(r -> notes.add("skipped " + r.displayName() + ": " + r.reason()));
        return new StreamedImages(name, sources.toArray(StreamedImages.Source[]::new), names.toArray(String[]::new), l,
                classes, o.onBadImage, null, notes).withShardOrder(starts, DEFAULT_BUFFER);
    }

    /**
     * One sample of a shard: its key, the image member (or null) and the label (-1 without a .cls
     * member); {@code repeated} names a later member that repeats the key's image or label (null if none).
     */
    record Sample(String key, String imageName, StreamedImages.Source image, int label, String repeated) {
        /** The image member's name, else the key. */
        String displayName() {
            return imageName != null ? imageName : key;
        }
    }

    /**
     * What indexing one shard found: its samples in member order, and the damage (one line) that ended
     * the walk before tar's end-of-archive blocks, or null for a whole archive.
     */
    record ShardIndex(List<Sample> samples, String damage) {}

    /** A damaged archive: stops the walk; the message says where. */
    private static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;

        Damage(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Indexes one shard: walks its 512-byte headers to the end-of-archive blocks (two zero blocks, which
     * GNU tar, Python's tarfile and {@link #write} always write). A damaged header (bad checksum, a
     * negative size or one beyond the file) or a file that ends before those blocks ends the walk: the
     * samples read before it are returned with the damage.
     */
    static ShardIndex index(Path shard) {
        Map<String, Sample> byKey = new LinkedHashMap<>();
        String damage = null;
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
            walk(shard, ch, byKey);
        } catch (Damage d) {
            damage = d.getMessage();
        } catch (IOException e) {
            throw new UserException(shard + ": cannot read (" + e.getMessage() + ")");
        }
        return new ShardIndex(new ArrayList<>(byKey.values()), damage);
    }

    private static void walk(Path shard, FileChannel ch, Map<String, Sample> byKey) throws IOException, Damage {
        long size = ch.size();
        long pos = 0;
        String longName = null;
        ByteBuffer header = ByteBuffer.allocate(512);
        while (true) {
            if (pos + 512 > size) {
                throw new Damage("truncated: the file ends " + (pos == size ? "at byte " + pos
                        : "inside the header at byte " + pos) + " without tar's end-of-archive blocks");
            }
            header.clear();
            readFully(ch, header, pos, shard);
            byte[] h = header.array();
            if (isZero(h)) {
                if (pos + 1024 > size) {
                    throw new Damage("truncated: the file ends after the first of tar's two end-of-archive blocks "
                            + "(byte " + pos + ")");
                }
                header.clear();
                readFully(ch, header, pos + 512, shard);
                if (!isZero(header.array())) {
                    throw new Damage("damaged tar file: a lone zero block at byte " + pos);
                }
                return; // the end-of-archive blocks
            }
            if (!checksumOk(h)) {
                throw new Damage("damaged tar header at byte " + pos);
            }
            String name = longName != null ? longName : name(h);
            longName = null;
            long len = size(h, pos, name);
            char type = (char) h[156];
            long data = pos + 512;
            if (len > size - data) {
                throw new Damage("truncated: member '" + name + "' at byte " + pos + " needs " + len
                        + " bytes, the file ends first");
            }
            if (type == 'L' || type == 'x') {
                byte[] meta = read(ch, data, len, shard);
                longName = type == 'L' ? cString(meta) : paxPath(meta);
            } else if (type == '0' || type == '\0') {
                member(byKey, shard, name, data, len, ch);
            }
            pos = data + (len + 511) / 512 * 512; // len >= 0: always past this header
        }
    }

    private static void member(Map<String, Sample> byKey, Path shard, String name, long data, long len, FileChannel ch)
            throws IOException {
        int slash = name.lastIndexOf('/');
        int dot = name.indexOf('.', slash + 1);
        if (dot < 0) {
            return;
        }
        String key = name.substring(0, dot);
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        Sample old = byKey.getOrDefault(key, new Sample(key, null, null, -1, null));
        if (IMAGE_EXTENSIONS.contains(ext)) {
            byKey.put(key, old.image == null ? new Sample(key, name, new StreamedImages.Source(shard, data, len), old.label,
                    old.repeated) : repeated(old, name));
        } else if (ext.equals("cls")) {
            String text = new String(read(ch, data, Math.min(len, 32), shard), StandardCharsets.US_ASCII).strip();
            int label;
            try {
                label = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new UserException(shard + ":" + name + ": label '" + text + "' is not an integer");
            }
            if (label < 0) {
                throw new UserException(shard + ":" + name + ": negative label " + label);
            }
            byKey.put(key, old.label < 0 ? new Sample(key, old.imageName, old.image, label, old.repeated)
                    : repeated(old, name));
        }
    }

    /** {@code old} with {@code member} noted as a repeat of its key (the first repeat is kept). */
    private static Sample repeated(Sample old, String member) {
        return old.repeated != null ? old : new Sample(old.key, old.imageName, old.image, old.label, member);
    }

    private static List<String> classNames(Path root, int n) {
        Path file = root == null ? null : root.resolve("classes.txt");
        if (file != null && Files.isRegularFile(file)) {
            try {
                List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
                if (names.size() < n) {
                    throw new UserException(file + ": names " + names.size() + " classes but the shards use labels up to "
                            + (n - 1));
                }
                return names;
            } catch (IOException e) {
                throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }

    // ---- writing (selfsup data pack) ----

    /**
     * Writes the images of {@code set} (their files' bytes, unchanged) as shards {@code prefix-000000.tar},
     * ... of {@code perShard} samples each into {@code outDir}, each written atomically.
     *
     * @param progress called with the number of samples written so far after each shard
     * @return the shard files written
     */
    public static List<Path> write(StreamedImages set, Path outDir, String prefix, int perShard,
                                   java.util.function.IntConsumer progress) {
        if (perShard < 1) {
            throw new UserException("--shard-size must be at least 1, got " + perShard);
        }
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UserException("--out: cannot create " + outDir + " (" + e.getMessage() + ")");
        }
        for (int start = 0, s = 0; start < set.size(); start += perShard, s++) {
            int from = start;
            int to = Math.min(set.size(), start + perShard);
            Path shard = outDir.resolve(String.format(Locale.ROOT, "%s-%06d.tar", prefix, s));
            try {
                AtomicFiles.write(shard, out -> {
                    for (int i = from; i < to; i++) {
                        byte[] bytes;
                        try {
                            bytes = set.bytes(i);
                        } catch (BadImageException e) {
                            throw new UserException(set.displayName(i) + ": " + e.getMessage());
                        }
                        String key = String.format(Locale.ROOT, "%09d", i);
                        String ext = extension(bytes);
                        writeMember(out, key + "." + ext, bytes);
                        if (set.label(i) >= 0) {
                            writeMember(out, key + ".cls", (set.label(i) + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    out.write(new byte[1024]); // two zero blocks end the archive
                });
            } catch (IOException e) {
                throw new UserException("--out: cannot write " + shard + " (" + e.getMessage() + ")");
            }
            written.add(shard);
            progress.accept(to);
        }
        return written;
    }

    private static String extension(byte[] b) {
        try {
            ImageHeader h = ImageHeader.read(b, b.length, true);
            return switch (h.format()) {
                case "PNG" -> "png";
                case "WEBP" -> "webp";
                default -> "jpg";
            };
        } catch (BadImageException e) {
            return "jpg"; // kept as is: the reader reports it when it decodes the sample
        }
    }

    private static void writeMember(OutputStream out, String name, byte[] data) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, data.length);
        octal(h, 136, 12, 0);
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        octal(h, 148, 7, sum);
        out.write(h);
        out.write(data);
        int pad = (512 - data.length % 512) % 512;
        out.write(new byte[pad]);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len - 1));
        h[off + len - 1] = 0;
    }

    // ---- tar header fields ----

    private static String name(byte[] h) {
        String n = cString(java.util.Arrays.copyOfRange(h, 0, 100));
        String prefix = cString(java.util.Arrays.copyOfRange(h, 345, 500));
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        return ustar && !prefix.isEmpty() ? prefix + "/" + n : n;
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static String paxPath(byte[] meta) {
        String text = new String(meta, StandardCharsets.UTF_8);
        for (String rec : text.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    /**
     * A member's size field (octal text, or GNU base-256: first byte 0x80 for a positive number, 0xFF for
     * a negative one); a negative, unparsable or oversized value is damage naming the member.
     */
    private static long size(byte[] h, long pos, String name) throws Damage {
        int off = 124;
        int len = 12;
        int first = h[off] & 0xFF;
        if ((first & 0x80) != 0) { // GNU base-256
            if (first != 0x80) {
                throw new Damage("damaged tar header at byte " + pos + ": member '" + name + "' has a negative size");
            }
            long v = 0;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new Damage("damaged tar header at byte " + pos + ": member '" + name + "' has an "
                            + "impossible size (more than 2^63 bytes)");
                }
                v = (v << 8) | (h[off + i] & 0xFF);
            }
            return v;
        }
        String s = new String(h, off, len, StandardCharsets.US_ASCII).replace("\0", " ").strip();
        try {
            long v = s.isEmpty() ? 0 : Long.parseLong(s, 8);
            if (v < 0) {
                throw new Damage("damaged tar header at byte " + pos + ": member '" + name + "' has a negative size");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Damage("damaged tar header at byte " + pos + ": member '" + name + "' has the size '" + s + "'");
        }
    }

    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            String s = new String(h, 148, 8, StandardCharsets.US_ASCII).replace("\0", " ").strip();
            stored = Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xFF;
        }
        return sum == stored;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] read(FileChannel ch, long pos, long len, Path shard) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(len, 1 << 20));
        readFully(ch, b, pos, shard);
        return b.array();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path shard) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new UserException(shard + ": truncated tar file");
            }
            p += r;
        }
    }
}
