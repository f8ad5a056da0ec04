package org.selfsup.data.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.selfsup.data.BadImageException;
import org.selfsup.data.BadImagePolicy;
import org.selfsup.data.Image;
import org.selfsup.data.ImageSet;
import org.selfsup.util.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A split whose images stay in their files and are decoded ({@link ImageDecoder}, PIL-exact) at full
 * resolution every time one is asked for: image folders, list files and tar shards. Memory is the
 * index (a path, an offset, a length and a label per image), not the pixels.
 *
 * <p>A file found unreadable while decoding (e.g. a truncated JPEG, which the index's header check
 * cannot see) is, with {@link BadImagePolicy#SKIP}, warned about once, and its place is taken by the
 * next readable image in index order: batch sizes and the order of all other samples stay a function
 * of the seed. With {@link BadImagePolicy#FAIL} it is a {@link UserException} naming the file.
 */
public final class StreamedImages implements ImageSet {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedImages.class);

    /**
     * Where one image's bytes are.
     *
     * @param file   the file (a whole image file, or a tar shard)
     * @param offset first byte of the image in {@code file}; -1 for the whole file
     * @param length number of bytes (the whole file's size when {@code offset} is -1)
     */
    public record Source(Path file, long offset, long length) {
        /** The whole file {@code file} of {@code length} bytes. */
        public static Source whole(Path file, long length) {
            return new Source(file, -1, length);
        }

        /** Human-readable location for messages ({@code shard.tar:key.jpg} style for members). */
        public String describe() {
            return offset < 0 ? file.toString() : file + " (bytes " + offset + ".." + (offset + length) + ")";
        }
    }

    /**
     * How an image's pixels are obtained: by default decoded from its source's bytes; the
     * {@link PreresizedStore} reads its pre-resized copy instead.
     */
    @FunctionalInterface
    public interface Loader {
        /** The default: the source's own bytes decoded at full resolution. */
        Loader DECODE = (index, source) -> ImageDecoder.decode(read(source));

        /**
         * Image {@code index} of the split the loader was given to ({@link #withLoader}; subsets keep those
         * indices), whose original is {@code source}.
         *
         * @throws BadImageException when it cannot be read; the split's {@link BadImagePolicy} applies
         */
        Image load(int index, Source source) throws BadImageException;
    }

    private final String name;
    private final Source[] sources;
    private final String[] displayNames;
    private final int[] labels;
    private final List<String> classNames;
    private final BadImagePolicy policy;
    private final Loader loader;
    /** Index of each image in the split {@link #loader} was given to; null = the same indices. */
    private final int[] loaderIndices;
    private final List<String> notes;
    private final Set<Integer> bad = ConcurrentHashMap.newKeySet();
    private int[] shardStarts;
    private int shuffleBuffer;

    /**
     * @param sources      where each image is
     * @param displayNames how each image is named in messages (null: {@link Source#describe()})
     * @param labels       one per image, -1 for unlabelled
     * @param classNames   class names by label (empty for unlabelled data)
     * @param loader       how pixels are obtained (null: {@link Loader#DECODE}; the pre-resized store's reader)
     * @param notes        facts {@code data info} prints about the split (skipped files, empty classes...)
     */
    public StreamedImages(String name, Source[] sources, String[] displayNames, int[] labels, List<String> classNames,
                          BadImagePolicy policy, Loader loader, List<String> notes) {
        this(name, sources, displayNames, labels, classNames, policy, loader, null, notes);
    }

    private StreamedImages(String name, Source[] sources, String[] displayNames, int[] labels, List<String> classNames,
                           BadImagePolicy policy, Loader loader, int[] loaderIndices, List<String> notes) {
        this.name = Objects.requireNonNull(name);
        this.sources = Objects.requireNonNull(sources);
        this.displayNames = displayNames;
        this.labels = Objects.requireNonNull(labels);
        this.classNames = List.copyOf(classNames);
        this.policy = Objects.requireNonNull(policy);
        this.loader = loader == null ? Loader.DECODE : loader;
        this.loaderIndices = loaderIndices;
        this.notes = List.copyOf(notes);
        if (sources.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + sources.length + " files but " + labels.length + " labels");
        }
    }

    @Override public String name() { return name; }
    @Override public int size() { return sources.length; }
    @Override public int label(int i) { return labels[i]; }
    @Override public int[] labels() { return labels; }
    @Override public List<String> classNames() { return classNames; }
    @Override public boolean fullResolution() { return true; }

    /** Where image {@code i} is. */
    public Source source(int i) { return sources[i]; }

    /** Facts about the split for {@code data info} (skipped files, empty class folders, paths outside the root). */
    public List<String> notes() { return notes; }

    /** The policy for unreadable files. */
    public BadImagePolicy policy() { return policy; }

    /** How image {@code i} is named in messages. */
    public String displayName(int i) {
        return displayNames != null ? displayNames[i] : sources[i].describe();
    }

    @Override
    public Image rgb(int i) {
        int n = sources.length;
        for (int k = 0; k < n; k++) {
            int j = (i + k) % n;
            if (bad.contains(j)) {
                continue;
            }
            try {
                return loader.load(loaderIndices == null ? j : loaderIndices[j], sources[j]);
            } catch (BadImageException e) {
                policy.onBadFile(displayName(j), e.getMessage());
                if (bad.add(j)) {
                    LOG.warn("{}: {}; skipped (its samples use the next readable image)", displayName(j), e.getMessage());
                }
            }
        }
        throw new UserException(name + ": none of its " + n + " images is readable");
    }

    /**
     * Image {@code i}'s original file decoded as is (never the pre-resized copy), or the reason it cannot
     * be: for {@code data pack}, checks and the store's own build.
     */
    public Image decodeOrThrow(int i) throws BadImageException {
        return ImageDecoder.decode(read(sources[i]));
    }

    /** The raw bytes of image {@code i}'s original file. */
    public byte[] bytes(int i) throws BadImageException {
        return read(sources[i]);
    }

    /**
     * This split read in WebDataset's order: its samples lie shard after shard ({@code starts[s]} = first
     * index of shard {@code s}) and an epoch shuffles shards, then samples through a buffer of {@code buffer}.
     */
    public StreamedImages withShardOrder(int[] starts, int buffer) {
        StreamedImages s = new StreamedImages(name, sources, displayNames, labels, classNames, policy, loader,
                loaderIndices, notes);
        s.shardStarts = starts.clone();
        s.shuffleBuffer = buffer;
        return s;
    }

    @Override
    public int[] epochOrder(long seed, int epoch) {
        return shardStarts == null ? ImageSet.super.epochOrder(seed, epoch)
                : ShardOrder.epochOrder(shardStarts, sources.length, shuffleBuffer, seed, epoch);
    }

    @Override
    public StreamedImages subset(String newName, int[] indices) {
        Source[] s = new Source[indices.length];
        String[] d = displayNames == null ? null : new String[indices.length];
        int[] l = new int[indices.length];
        int[] li = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            s[k] = sources[indices[k]];
            l[k] = labels[indices[k]];
            li[k] = loaderIndices == null ? indices[k] : loaderIndices[indices[k]];
            if (d != null) {
                d[k] = displayNames[indices[k]];
            }
        }
        return new StreamedImages(newName, s, d, l, classNames, policy, loader, li, List.of());
    }

    /**
     * This split with its pixels obtained by {@code newLoader} (e.g. from the pre-resized store), which
     * is called with this split's indices, also by subsets made afterwards.
     *
     * @param extraNotes facts for {@code data info} added to this split's notes
     */
    public StreamedImages withLoader(Loader newLoader, List<String> extraNotes) {
        List<String> all = new java.util.ArrayList<>(notes);
        all.addAll(extraNotes);
        StreamedImages s = new StreamedImages(name, sources, displayNames, labels, classNames, policy, newLoader, null, all);
        s.shardStarts = shardStarts;
        s.shuffleBuffer = shuffleBuffer;
        return s;
    }

    /** Reads a source's bytes, turning I/O failures into reasons. */
    static byte[] read(Source s) throws BadImageException {
        try {
            if (s.offset < 0) {
                return Files.readAllBytes(s.file);
            }
            if (s.length > Integer.MAX_VALUE - 16) {
                throw new BadImageException("member of " + s.length + " bytes is too large");
            }
            byte[] out = new byte[(int) s.length];
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.wrap(out);
                long pos = s.offset;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, pos);
                    if (r < 0) {
                        throw new BadImageException("file ends inside the image (shard truncated?)");
                    }
                    pos += r;
                }
            }
            return out;
        } catch (OutOfMemoryError e) {
            throw new BadImageException("file of " + s.length + " bytes does not fit in memory");
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** An I/O failure on an image file as a reason (permission denied, file not found, ...). */
    static BadImageException readFailure(IOException e) {
        if (e instanceof AccessDeniedException) {
            return new BadImageException("permission denied");
        }
        if (e instanceof NoSuchFileException) {
            return new BadImageException("file not found");
        }
        return new BadImageException("cannot read (" + e.getMessage() + ")");
    }

    @Override
    public String toString() {
        return name + "[" + sources.length + " streamed images, " + classNames.size() + " classes]";
    }
}
