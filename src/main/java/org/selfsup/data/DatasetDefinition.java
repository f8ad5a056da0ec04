package org.selfsup.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the rest of selfsup knows about a data set, declared in its reader's file and listed once in
 * {@link org.selfsup.data.readers.DatasetRegistry}: its name, the files it reads, its reader, its default
 * view size, its normalisation, whether it is streamed from files or held in memory, and how to download it.
 * Loading, flag help, the evaluation's normalisation and view size all read this; adding a data set is its
 * reader's file (with its definition) and one line in {@link org.selfsup.data.readers.DatasetRegistry#ALL}.
 *
 * @param name          registry name and {@code dataset} value, e.g. {@code cifar10}
 * @param files         what the data directory holds, one line for listings and help
 * @param viewSize      the side of the training views when {@code image-size} is 0
 * @param normalization the per-channel mean/std after {@code ToTensor}, or null when the reader computes it
 *                      from the images it read ({@link Splits#normalization()})
 * @param streamed      whether images are read from files as they are needed
 *                      ({@link org.selfsup.data.stream.StreamedImages}, which a pre-resized store can speed
 *                      up) rather than held in memory
 * @param needsDir      whether {@code data-dir} is required (else the reader gets null without one)
 * @param download      how {@code --download} fetches the files into a folder, or null when it cannot
 * @param reader        reads the splits from the data directory
 */
public record DatasetDefinition(String name, String files, int viewSize, Normalization normalization,
                                boolean streamed, boolean needsDir, Download download, Reader reader) {
    /** Reads a data set's splits. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param dir the data directory: an existing folder when the definition needs one, else possibly null
         * @param o   the data options
         * @return the splits; a {@code UserException} naming the file for missing or malformed input
         */
        Splits read(Path dir, DataOptions o);
    }

    /** Fetches a data set's official files into a folder unless they are there already. */
    @FunctionalInterface
    public interface Download {
        void ensure(Path dir);
    }

    /**
     * What a reader read.
     *
     * @param pretrain      images for self-supervised pretraining (labels may be -1)
     * @param train         the labelled training split (kNN bank, probe training)
     * @param test          the labelled test split, or null when there is none
     * @param normalization the statistics of these images when the definition has none, else null
     * @param viewSize      a view size depending on the options (synthetic images), 0 for the definition's
     */
    public record Splits(ImageSet pretrain, ImageSet train, ImageSet test, Normalization normalization,
                         int viewSize) {
        public Splits {
            Objects.requireNonNull(pretrain);
            Objects.requireNonNull(train);
        }

        /** Pretraining on the training split. */
        public static Splits of(ImageSet train, ImageSet test) {
            return new Splits(train, train, test, null, 0);
        }

        /** These splits pretraining on {@code images}. */
        public Splits withPretrain(ImageSet images) {
            return new Splits(images, train, test, normalization, viewSize);
        }

        /** These splits with the statistics of their images. */
        public Splits withNormalization(Normalization n) {
            return new Splits(pretrain, train, test, n, viewSize);
        }

        /** These splits with a view size that depends on the options. */
        public Splits withViewSize(int size) {
            return new Splits(pretrain, train, test, normalization, size);
        }
    }

    public DatasetDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(files);
        Objects.requireNonNull(reader);
        if (viewSize < 1) {
            throw new IllegalArgumentException(name + ": view size must be positive");
        }
    }

    /** Whether {@code --download} can fetch this data set. */
    public boolean downloadable() {
        return download != null;
    }

    /** Whether the normalisation is known without reading the images. */
    public boolean fixedNormalization() {
        return normalization != null;
    }

    /** Starts a definition of the data set {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction, so each reader's definition reads as a declaration. */
    public static final class Builder {
        private final String name;
        private String files = "";
        private int viewSize;
        private Normalization normalization;
        private boolean streamed;
        private boolean needsDir = true;
        private Download download;

        private Builder(String name) {
            this.name = name;
        }

        /** What the data directory holds. */
        public Builder files(String text) {
            this.files = text;
            return this;
        }

        /** The view size used when {@code image-size} is 0. */
        public Builder viewSize(int size) {
            this.viewSize = size;
            return this;
        }

        /** Fixed per-channel statistics (else the reader returns the statistics of what it read). */
        public Builder normalization(Normalization n) {
            this.normalization = n;
            return this;
        }

        /** Images are read from files as they are needed. */
        public Builder streamed() {
            this.streamed = true;
            return this;
        }

        /** The reader works without {@code data-dir} (embedded or generated images). */
        public Builder dataDirOptional() {
            this.needsDir = false;
            return this;
        }

        /** {@code --download} fetches the files this way. */
        public Builder download(Download d) {
            this.download = d;
            return this;
        }

        /** The definition, read by {@code reader}. */
        public DatasetDefinition reader(Reader reader) {
            return new DatasetDefinition(name, files, viewSize, normalization, streamed, needsDir, download, reader);
        }
    }
}
