package org.selfsup.data.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup.data.BadImageException;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.util.Durations;
import org.selfsup.util.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the image files of a split by their headers, without decoding them, and makes the
 * {@link StreamedImages} of those that pass: an empty file, content that is no image, an unsupported
 * format, a header claiming more than {@link ImageHeader#MAX_PIXELS} pixels, an unreadable file are
 * found here, before training. With {@link BadImagePolicy#SKIP} each is warned about once (one line
 * naming the file and the reason) and left out; with {@link BadImagePolicy#FAIL} the first one is a
 * {@link UserException} naming it.
 *
 * <p>Reads the first 4 KiB of a file (64 KiB, then all of it, when a JPEG's frame header lies behind
 * large EXIF or ICC segments).
 */
public final class ImageIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(ImageIndexer.class);
    private static final int FIRST_PROBE = 4096;

    /** A file to index: where it is, how messages name it, its label. */
    public record Candidate(Path file, String displayName, int label) {}

    /** A file refused by the header check, with the reason. */
    public record Refused(String displayName, String reason) {}

    private final String name;
    private final BadImagePolicy policy;
    private final List<StreamedImages.Source> sources = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final List<Refused> refused = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<Path, Stamp> watched = new LinkedHashMap<>();
    private final Progress progress;
    private final long startedNanos = System.currentTimeMillis() * 1_000_000L;

    /**
     * What a file or folder looked like when the index was made: modification time (ns since the epoch)
     * and size, or {@code missing}. Adding, removing or renaming a file changes its folder's stamp, so
     * the stamps of the folders an index read tell whether the index still holds ({@link IndexCache}).
     */
    record Stamp(long mtimeNanos, long size, boolean missing) {
        static Stamp of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return of(a);
            } catch (IOException e) {
                return new Stamp(0, 0, true);
            }
        }

        static Stamp of(BasicFileAttributes a) {
            Instant t = a.lastModifiedTime().toInstant();
            return new Stamp(t.getEpochSecond() * 1_000_000_000L + t.getNano(), a.size(), false);
        }
    }

    /** @param name split name for messages, e.g. {@code "imagefolder/train"} */
    public ImageIndexer(String name, BadImagePolicy policy) {
        this.name = name;
        this.policy = policy;
        this.progress = new Progress("indexing " + name);
    }

    /** Checks one file and keeps it if its header is good. */
    public void add(Candidate c) {
        try {
            long size = probe(c.file());
            addIndexed(c.file(), c.displayName(), c.label(), size);
        } catch (BadImageException e) {
            refuse(c.displayName(), e.getMessage());
        }
    }

    /** Keeps a file checked earlier (an index read back from {@link IndexCache}). */
    void addIndexed(Path file, String displayName, int label, long length) {
        sources.add(StreamedImages.Source.whole(file, length));
        names.add(displayName);
        labels.add(label);
    }

    /**
     * Records what {@code path} (a folder that was listed, or a list file) looks like now, before it is
     * read: a cached index is only used while every such stamp is unchanged.
     */
    public void watch(Path path) {
        watched.computeIfAbsent(path, Stamp::of);
    }

    /** As {@link #watch(Path)} with attributes already read (a folder walk's). */
    void watch(Path path, BasicFileAttributes attributes) {
        watched.computeIfAbsent(path, p -> Stamp.of(attributes));
    }

    /** Logs a warning about the split (e.g. empty class folders), repeated whenever the cached index is used. */
    public void warn(String message) {
        LOG.warn(message);
        warnings.add(message);
    }

    /**
     * Reports progress: {@code done} of {@code total} units of {@code phase} (e.g. class folders), or
     * {@code done} files when {@code total <= 0}; printed every few seconds at most.
     */
    public void progress(String phase, long done, long total) {
        progress.tick(phase, done, total);
    }

    /** Ends the progress display with a summary line if any progress was shown. */
    void progressDone() {
        progress.done(sources.size(), refused.size());
    }

    Map<Path, Stamp> watched() { return watched; }

    /** Wall-clock time the indexing began, in ns since the epoch (comparable to {@link Stamp#mtimeNanos}). */
    long startedNanos() { return startedNanos; }

    List<String> warnings() { return warnings; }

    List<StreamedImages.Source> sources() { return sources; }

    List<String> displayNames() { return names; }

    List<Integer> labels() { return labels; }

    /** Records a file that cannot be indexed at all (e.g. a symbolic-link loop, an unencodable name). */
    public void refuse(String displayName, String reason) {
        policy.onBadFile(displayName, reason);
        LOG.warn("{}: {}; skipped", displayName, reason);
        refused.add(new Refused(displayName, reason));
    }

    /** Files refused so far. */
    public List<Refused> refused() { return refused; }

    /** Number of files kept so far. */
    public int size() { return sources.size(); }

    /**
     * The split of the files kept.
     *
     * @param notes facts for {@code data info}; the refused count is added
     */
    public StreamedImages build(List<String> classNames, List<String> notes) {
        progressDone();
        List<String> all = new ArrayList<>(notes);
        if (!refused.isEmpty()) {
            all.add(refused.size() + " unreadable file(s) skipped (first: " + refused.get(0).displayName() + ": "
                    + refused.get(0).reason() + ")");
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new StreamedImages(name, sources.toArray(StreamedImages.Source[]::new), names.toArray(String[]::new), l,
                classNames, policy, null, all);
    }

    /** The header check of one file; returns its size in bytes. */
    static long probe(Path file) throws BadImageException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long want : new long[] {FIRST_PROBE, ImageHeader.PROBE_BYTES, size}) {
                int n = (int) Math.min(size, Math.min(want, Integer.MAX_VALUE - 16));
                ByteBuffer buf = ByteBuffer.allocate(n);
                while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                    // positional reads until full or end of file
                }
                boolean complete = buf.position() >= size;
                if (ImageHeader.read(buf.array(), buf.position(), complete) != null) {
                    return size;
                }
                if (complete) {
                    break;
                }
            }
            throw new BadImageException("image file is truncated (no JPEG frame header)");
        } catch (IOException e) {
            throw StreamedImages.readFailure(e);
        }
    }

    /**
     * Progress of indexing a large split on standard error: a line every {@link #intervalMillis} at most
     * (files so far, rate, and a percentage and ETA when the total is known), nothing for a split indexed
     * faster than that, and a summary line at the end if progress was shown.
     */
    static final class Progress {
        /** Time between progress lines; package-private so tests can make every tick print. */
        static long intervalMillis = 5000;

        private final String what;
        private final long start = System.nanoTime();
        private long lastPrint = start;
        private boolean shown;

        Progress(String what) {
            this.what = what;
        }

        void tick(String phase, long done, long total) {
            long now = System.nanoTime();
            if ((now - lastPrint) / 1_000_000 < intervalMillis) {
                return;
            }
            lastPrint = now;
            shown = true;
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            StringBuilder line = new StringBuilder(what);
            line.append(": ").append(String.format(java.util.Locale.ROOT, "%,d", done));
            if (total > 0) {
                double f = Math.min(1, (double) done / total);
                line.append(String.format(java.util.Locale.ROOT, " of %,d %s (%.0f%%), ETA %s", total, phase, 100 * f,
                        f > 0 ? Durations.clock(seconds * (1 - f) / f) : "?"));
            } else {
                line.append(String.format(java.util.Locale.ROOT, " %s, %,.0f/s", phase, done / seconds));
            }
            System.err.println(line);
        }

        void done(int kept, int refused) {
            if (shown) {
                System.err.printf(java.util.Locale.ROOT, "%s: %,d images (%,d skipped) in %s%n", what, kept, refused,
                        Durations.clock((System.nanoTime() - start) / 1e9));
            }
        }
    }
}
