package org.selfsup.data.stream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.selfsup.data.BadImageException;
import org.selfsup.data.DataOptions;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.Image;
import org.selfsup.data.PictureResizer;
import org.selfsup.util.AtomicFiles;
import org.selfsup.util.Durations;
import org.selfsup.util.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional pre-resized store of a streamed split ({@code --preresize-max-side N}): every picture with
 * its longer side capped at N pixels ({@link PictureResizer}: CapLongerSide with Pillow's bicubic filter, aspect kept, never
 * cropped; a picture already within the cap is kept as is), written once under
 * {@code <cache-dir>/preresized/} and read instead of the originals by later epochs and runs. This departs
 * from the papers' pipeline: the crops are cut from the downsampled picture.
 *
 * <p><b>Layout.</b> One folder per split location and N, holding chunk files of {@value #CHUNK} images
 * each in index order: the entries' bytes (a lossless PNG of the capped picture, or the original file's
 * bytes unchanged when it is within the cap, or the reason an unreadable original was refused), then a
 * table of (offset, length, CRC-32, kind) per entry, then a footer (magic, the chunk's source fingerprint,
 * count, CRC-32 of the table, table offset).
 *
 * <p><b>Verification.</b> A chunk is used only if its footer, size, table checksum and source fingerprint
 * (SHA-256 of N, the filter, the format version and each source's path, offset, length and modification
 * time) all match; anything else (missing, partial, damaged, or its sources changed) is rebuilt before
 * training. Each entry's CRC-32 is checked when it is read: a mismatch is warned about once, the chunk is
 * deleted so that the next start rebuilds it, and its images are recomputed from the originals for the
 * rest of the run, which gives the same pixels (PNG is lossless), so a run stays reproducible.
 *
 * <p><b>Writing.</b> Each chunk is written to a temporary file, fsynced and renamed over its name, so a
 * killed build leaves complete chunks (kept) and temporaries (removed by the next build), never a partial
 * chunk under a chunk's name.
 */
public final class PreresizedStore implements StreamedImages.Loader {
    /** Smallest accepted {@code --preresize-max-side} (other than 0, off). */
    public static final int MIN_SIDE = 16;
    /** Largest accepted {@code --preresize-max-side}. */
    public static final int MAX_SIDE = 16384;
    /** Images per chunk file. */
    static final int CHUNK = 512;

    private static final Logger LOG = LoggerFactory.getLogger(PreresizedStore.class);
    /** Bumped whenever the resize or the file layout changes, so that older stores are rebuilt. */
    private static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "SSPRSZ01".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER_BYTES = 32;
    private static final int ENTRY_BYTES = 17;
    private static final byte KIND_IMAGE = 0;
    private static final byte KIND_UNREADABLE = 1;
    private static final long PROGRESS_EVERY_MS = 5000;

    /** The table of one chunk: where each entry lies in the chunk file, its checksum and kind. */
    private record Table(long[] offsets, int[] lengths, int[] crcs, byte[] kinds) {}

    /** A chunk file's check result: its table, or why it cannot be used. */
    private record Check(Table table, String problem) {}

    /** One image's stored form. */
    private record Entry(byte kind, byte[] bytes, boolean resized) {}

    private final StreamedImages originals;
    private final PictureResizer resizer;
    private final int maxSide;
    private final Path dir;
    private final Table[] tables;
    private final Set<Integer> damagedChunks = ConcurrentHashMap.newKeySet();

    private PreresizedStore(StreamedImages originals, PictureResizer resizer, int maxSide, Path dir, Table[] tables) {
        this.originals = originals;
        this.resizer = resizer;
        this.maxSide = maxSide;
        this.dir = dir;
        this.tables = tables;
    }

    /**
     * {@code split} read from its pre-resized store when {@link DataOptions#preresizeMaxSide} is set
     * (building or repairing the store first), else {@code split} itself.
     *
     * @param location the folder, list file or shard folder the split comes from (names the store)
     */
    public static StreamedImages apply(StreamedImages split, Path location, DataOptions o) {
        if (o.preresizeMaxSide == 0 || split.size() == 0) {
            return split;
        }
        checkMaxSide(o.preresizeMaxSide);
        if (o.preresizer == null) {
            throw new IllegalStateException("DataOptions.preresizer must be set with preresizeMaxSide");
        }
        PreresizedStore store = open(split, location, o.preresizeMaxSide, o.preresizer, o.effectiveCacheDir());
        return split.withLoader(store, List.of("pre-resized store: longer side capped at " + o.preresizeMaxSide
                + " px (bicubic, aspect kept), read from " + store.dir));
    }

    /**
     * Streamed splits, each read through its pre-resized store when {@link DataOptions#preresizeMaxSide}
     * is set ({@link #apply}); {@code trainAt} and {@code testAt} name the stores.
     */
    public static DatasetDefinition.Splits splits(StreamedImages train, Path trainAt, StreamedImages test, Path testAt,
                                                  DataOptions o) {
        return DatasetDefinition.Splits.of(apply(train, trainAt, o), test == null ? null : apply(test, testAt, o));
    }

    /** Refuses a {@code --preresize-max-side} outside 0 or {@link #MIN_SIDE}..{@link #MAX_SIDE}. */
    public static void checkMaxSide(int maxSide) {
        if (maxSide != 0 && (maxSide < MIN_SIDE || maxSide > MAX_SIDE)) {
            throw new UserException("--preresize-max-side must be 0 (off) or between " + MIN_SIDE + " and " + MAX_SIDE
                    + " pixels, got " + maxSide);
        }
    }

    /** The store folder of a split location and cap: {@code <cache>/preresized/<hash of location and name>-max<N>}. */
    static Path storeDir(Path cacheDir, StreamedImages split, Path location, int maxSide) {
        String id = location.toAbsolutePath().normalize() + "\n" + split.name();
        return cacheDir.resolve("preresized").resolve(HexFormat.of().formatHex(sha256(id.getBytes(StandardCharsets.UTF_8)), 0, 8)
                + "-max" + maxSide);
    }

    /** Opens the store of {@code split}, building the chunks that are missing, damaged or stale. */
    static PreresizedStore open(StreamedImages split, Path location, int maxSide, PictureResizer resizer,
                                Path cacheDir) {
        Path dir = storeDir(cacheDir, split, location, maxSide);
        int chunks = (split.size() + CHUNK - 1) / CHUNK;
        long[] fingerprints = fingerprints(split, maxSide, resizer, chunks);
        Table[] tables = new Table[chunks];
        List<Integer> toBuild = new ArrayList<>();
        int stale = 0;
        for (int c = 0; c < chunks; c++) {
            Check check = check(chunkFile(dir, c), fingerprints[c], chunkSize(split, c));
            tables[c] = check.table();
            if (check.table() == null) {
                toBuild.add(c);
                if (check.problem().startsWith("sources changed")) {
                    stale++;
                } else if (check.problem().startsWith("damaged")) {
                    LOG.warn("{}: {}; rebuilding it", chunkFile(dir, c), check.problem());
                }
            }
        }
        PreresizedStore store = new PreresizedStore(split, resizer, maxSide, dir, tables);
        try {
            Files.createDirectories(dir);
            removeLeftovers(dir, chunks);
            if (!toBuild.isEmpty()) {
                store.build(toBuild, fingerprints, stale);
            }
        } catch (IOException e) {
            throw new UserException(dir + ": cannot write the pre-resized store (" + e.getMessage() + ")");
        }
        return store;
    }

    /** The folder this store lives in. */
    public Path dir() {
        return dir;
    }

    @Override
    public Image load(int index, StreamedImages.Source source) throws BadImageException {
        int c = index / CHUNK;
        int k = index % CHUNK;
        Table t = tables[c];
        if (!damagedChunks.contains(c)) {
            byte[] bytes = null;
            try {
                bytes = StreamedImages.read(new StreamedImages.Source(chunkFile(dir, c), t.offsets[k], t.lengths[k]));
            } catch (BadImageException e) {
                damaged(c, e.getMessage());
            }
            if (bytes != null && crc(bytes) != t.crcs[k]) {
                damaged(c, "checksum mismatch in entry " + k + " (file damaged)");
            } else if (bytes != null && t.kinds[k] == KIND_UNREADABLE) {
                throw new BadImageException(new String(bytes, StandardCharsets.UTF_8));
            } else if (bytes != null) {
                return ImageDecoder.decodeVerified(bytes); // decoded when stored, checksummed since
            }
        }
        // the same pixels the chunk held: the build's resize of the original
        return resizer.shrink(ImageDecoder.decode(StreamedImages.read(source)), maxSide);
    }

    /** A chunk found damaged while training: said once, deleted so that the next start rebuilds it. */
    private void damaged(int c, String why) {
        if (!damagedChunks.add(c)) {
            return;
        }
        Path f = chunkFile(dir, c);
        LOG.warn("{}: {}; its images are read from the originals for the rest of this run and the chunk is "
                + "rebuilt at the next start", f, why);
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete the damaged chunk ({}); it is checked and rebuilt at the next start anyway", f,
                    e.getMessage());
        }
    }

    /** Builds the chunks {@code todo} on all cores, printing progress every few seconds and a summary. */
    private void build(List<Integer> todo, long[] fingerprints, int stale) throws IOException {
        int total = 0;
        for (int c : todo) {
            total += chunkSize(originals, c);
        }
        System.err.println(originals.name() + ": pre-resizing " + total + " of " + originals.size() + " images (longer side <= "
                + maxSide + " px) into " + dir + (stale > 0 ? " (" + stale + " chunk(s) whose sources changed)" : ""));
        AtomicInteger done = new AtomicInteger();
        AtomicInteger resized = new AtomicInteger();
        AtomicInteger unreadable = new AtomicInteger();
        AtomicLong bytesWritten = new AtomicLong();
        long start = System.nanoTime();
        int threads = Math.max(1, Math.min(todo.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "selfsup-preresize");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<Table>> futures = new ArrayList<>();
            for (int c : todo) {
                futures.add(pool.submit(() -> writeChunk(c, fingerprints[c], done, resized, unreadable, bytesWritten)));
            }
            long lastPrint = System.nanoTime();
            for (int f = 0; f < futures.size(); f++) {
                while (true) {
                    try {
                        tables[todo.get(f)] = futures.get(f).get(200, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        if (System.nanoTime() - lastPrint >= PROGRESS_EVERY_MS * 1_000_000L) {
                            lastPrint = System.nanoTime();
                            System.err.println(progress(done.get(), total, start));
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UserException u) {
                throw u;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("pre-resizing " + originals.name() + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException(originals.name() + ": pre-resizing interrupted");
        } finally {
            pool.shutdownNow();
        }
        AtomicFiles.syncDirectory(dir);
        double secs = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "%s: pre-resized %d images in %.1f s (%d downscaled, %d kept as they are, %d "
                        + "unreadable), %.1f MB written to %s%n", originals.name(), total, secs, resized.get(),
                total - resized.get() - unreadable.get(), unreadable.get(), bytesWritten.get() / 1e6, dir);
    }

    private static String progress(int done, int total, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        String eta = done == 0 ? "?" : Durations.clock((total - done) / rate);
        return String.format(Locale.ROOT, "  pre-resize: %d/%d images (%.1f%%), %.1f img/s, ETA %s", done, total,
                100.0 * done / Math.max(1, total), rate, eta);
    }

    /** Writes chunk {@code c} to a temporary file and renames it over the chunk's name; returns its table. */
    private Table writeChunk(int c, long fingerprint, AtomicInteger done, AtomicInteger resized, AtomicInteger unreadable,
                             AtomicLong bytesWritten) throws IOException {
        int first = c * CHUNK;
        int n = chunkSize(originals, c);
        Table t = new Table(new long[n], new int[n], new int[n], new byte[n]);
        Path target = chunkFile(dir, c);
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                long pos = 0;
                for (int k = 0; k < n; k++) {
                    Entry e = entry(first + k);
                    out.write(e.bytes());
                    t.offsets[k] = pos;
                    t.lengths[k] = e.bytes().length;
                    t.crcs[k] = crc(e.bytes());
                    t.kinds[k] = e.kind();
                    pos += e.bytes().length;
                    if (e.kind() == KIND_UNREADABLE) {
                        unreadable.incrementAndGet();
                    } else if (e.resized()) {
                        resized.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                byte[] table = tableBytes(t);
                out.write(table);
                ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES).put(MAGIC).putLong(fingerprint).putInt(n)
                        .putInt(crc(table)).putLong(pos);
                out.write(footer.array());
                out.flush();
                ch.force(true);
                bytesWritten.addAndGet(pos + table.length + FOOTER_BYTES);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return t;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * The stored form of image {@code i}: its original bytes when it is within the cap (they decode to the
     * same pixels and are usually smaller than a PNG), else a PNG of the capped picture. An unreadable
     * original is, with {@code skip}, stored as its reason (warned about when a run reads it, as without the
     * store), with {@code fail} a UserException naming it.
     */
    private Entry entry(int i) {
        try {
            byte[] raw = originals.bytes(i);
            Image img = ImageDecoder.decode(raw);
            Image capped = resizer.shrink(img, maxSide);
            return capped == img ? new Entry(KIND_IMAGE, raw, false) : new Entry(KIND_IMAGE, ImageEncoder.png(capped), true);
        } catch (BadImageException e) {
            originals.policy().onBadFile(originals.displayName(i), e.getMessage());
            return new Entry(KIND_UNREADABLE, e.getMessage().getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** Reads and checks a chunk file's footer and table. */
    private static Check check(Path file, long fingerprint, int count) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long tableBytes = (long) count * ENTRY_BYTES;
            if (size < FOOTER_BYTES + tableBytes) {
                return new Check(null, "damaged: " + size + " bytes, too short (partial file?)");
            }
            ByteBuffer footer = readFully(ch, size - FOOTER_BYTES, FOOTER_BYTES);
            byte[] magic = new byte[MAGIC.length];
            footer.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return new Check(null, "damaged: no chunk footer (partial or foreign file)");
            }
            long fp = footer.getLong();
            int n = footer.getInt();
            int tableCrc = footer.getInt();
            long tableOffset = footer.getLong();
            if (fp != fingerprint || n != count) {
                return new Check(null, "sources changed since the chunk was written");
            }
            if (tableOffset < 0 || tableOffset + tableBytes + FOOTER_BYTES != size) {
                return new Check(null, "damaged: size " + size + " does not match its footer");
            }
            ByteBuffer table = readFully(ch, tableOffset, (int) tableBytes);
            if (crc(table.array()) != tableCrc) {
                return new Check(null, "damaged: table checksum mismatch");
            }
            Table t = new Table(new long[n], new int[n], new int[n], new byte[n]);
            for (int k = 0; k < n; k++) {
                t.offsets[k] = table.getLong();
                t.lengths[k] = table.getInt();
                t.crcs[k] = table.getInt();
                t.kinds[k] = table.get();
                if (t.offsets[k] < 0 || t.lengths[k] < 0 || t.offsets[k] + t.lengths[k] > tableOffset) {
                    return new Check(null, "damaged: entry " + k + " lies outside the file");
                }
            }
            return new Check(t, null);
        } catch (NoSuchFileException e) {
            return new Check(null, "missing");
        } catch (IOException e) {
            return new Check(null, "unreadable (" + e.getMessage() + ")"); // rebuilt; writing it says what is wrong
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new IOException("file ends early");
            }
        }
        return buf.flip();
    }

    private static byte[] tableBytes(Table t) {
        ByteBuffer b = ByteBuffer.allocate(t.offsets.length * ENTRY_BYTES);
        for (int k = 0; k < t.offsets.length; k++) {
            b.putLong(t.offsets[k]).putInt(t.lengths[k]).putInt(t.crcs[k]).put(t.kinds[k]);
        }
        return b.array();
    }

    /**
     * Per chunk, the first 8 bytes of a SHA-256 over the cap, filter, format version and each source's
     * path, offset, length and modification time: a chunk is reused only for the very same originals.
     */
    private static long[] fingerprints(StreamedImages split, int maxSide, PictureResizer resizer, int chunks) {
        Map<Path, Long> shardTimes = new HashMap<>();
        long[] out = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            StringBuilder sb = new StringBuilder().append(FORMAT_VERSION).append(' ').append(maxSide).append(' ')
                    .append(resizer.describe()).append('\n');
            for (int i = c * CHUNK, end = i + chunkSize(split, c); i < end; i++) {
                StreamedImages.Source s = split.source(i);
                long mtime = s.offset() < 0 ? modified(s.file()) : shardTimes.computeIfAbsent(s.file(), PreresizedStore::modified);
                sb.append(s.file().toAbsolutePath()).append('\0').append(s.offset()).append(' ').append(s.length())
                        .append(' ').append(mtime).append('\n');
            }
            out[c] = ByteBuffer.wrap(sha256(sb.toString().getBytes(StandardCharsets.UTF_8))).getLong();
        }
        return out;
    }

    /** A file's modification time in ms; -1 when it cannot be read (the entry is then rebuilt once readable). */
    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Deletes temporaries of killed builds (not those of a live process) and chunks past the split's end. */
    private static void removeLeftovers(Path dir, int chunks) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(AtomicFiles.TMP_PREFIX) && !writtenByLiveProcess(name)) {
                    Files.deleteIfExists(p);
                } else if (name.matches("chunk-\\d+\\.bin") && Integer.parseInt(name.substring(6, name.length() - 4)) >= chunks) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Whether a temporary's name ({@code .tmp-NAME-PID-NANOS}) names a running process (e.g. another rank building). */
    private static boolean writtenByLiveProcess(String tmpName) {
        String[] parts = tmpName.split("-");
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Path chunkFile(Path dir, int c) {
        return dir.resolve(String.format(Locale.ROOT, "chunk-%06d.bin", c));
    }

    private static int chunkSize(StreamedImages split, int c) {
        return Math.min(CHUNK, split.size() - c * CHUNK);
    }

    private static int crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return (int) crc.getValue();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
