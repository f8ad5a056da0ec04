package org.selfsup.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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

    /** @param name split name for messages, e.g. {@code "imagefolder/train"} */
    public ImageIndexer(String name, BadImagePolicy policy) {
        this.name = name;
        this.policy = policy;
    }

    /** Checks one file and keeps it if its header is good. */
    public void add(Candidate c) {
        try {
            long size = probe(c.file());
            sources.add(StreamedImages.Source.whole(c.file(), size));
            names.add(c.displayName());
            labels.add(c.label());
        } catch (BadImageException e) {
            refuse(c.displayName(), e.getMessage());
        }
    }

    /** Records a file that cannot be indexed at all (e.g. a symbolic-link loop, an unencodable name). */
    public void refuse(String displayName, String reason) {
        if (policy == BadImagePolicy.FAIL) {
            throw new UserException(displayName + ": " + reason + " (--on-bad-image fail)");
        }
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
}
