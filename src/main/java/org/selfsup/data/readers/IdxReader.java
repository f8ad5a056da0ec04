package org.selfsup.data.readers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.selfsup.data.BinaryFiles;
import org.selfsup.data.DatasetDefinition;
import org.selfsup.data.ImageStore;
import org.selfsup.data.Normalization;
import org.selfsup.util.UserException;

/**
 * Reader for IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed (detected by the gzip magic
 * number, not the file name).
 *
 * <p>Image files: magic 0x00000803, then count, rows, cols (big-endian int32) and count*rows*cols
 * unsigned bytes. Label files: magic 0x00000801, count, then count label bytes.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Fashion-MNIST class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST class names, by label. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Classpath folder of the embedded Fashion-MNIST subset (from {@code data/fashion-mnist-mini/}). */
    public static final String EMBEDDED_RESOURCE = "/data/fashion-mnist-mini/";

    /** Fashion-MNIST; without a data directory the embedded 10k/2k subset. */
    public static final DatasetDefinition FASHION_MNIST_DATASET = DatasetDefinition.named("fashion-mnist")
            .files("IDX files (gz or raw); no data-dir: the embedded 10k/2k subset")
            .viewSize(28).normalization(Normalization.FASHION_MNIST).dataDirOptional()
            .download(Downloads::fashionMnist)
            .reader((dir, o) -> splits("fashion-mnist", dir, FASHION_MNIST_CLASSES));

    /** MNIST. */
    public static final DatasetDefinition MNIST_DATASET = DatasetDefinition.named("mnist")
            .files("IDX files (gz or raw)")
            .viewSize(28).normalization(Normalization.MNIST)
            .reader((dir, o) -> splits("mnist", dir, MNIST_CLASSES));

    private IdxReader() {}

    /** The train and test splits of data set {@code n} in {@code dir}, or the embedded subset when null. */
    private static DatasetDefinition.Splits splits(String n, Path dir, List<String> classes) {
        if (dir == null) {
            return DatasetDefinition.Splits.of(embedded("train", classes), embedded("t10k", classes));
        }
        BinaryFiles.requireDirectory(dir, n);
        ImageStore train = read(n + "/train", idxFile(dir, "train-images-idx3-ubyte"),
                idxFile(dir, "train-labels-idx1-ubyte"), classes);
        ImageStore test = read(n + "/test", idxFile(dir, "t10k-images-idx3-ubyte"),
                idxFile(dir, "t10k-labels-idx1-ubyte"), classes);
        return DatasetDefinition.Splits.of(train, test);
    }

    private static Path idxFile(Path dir, String base) {
        return BinaryFiles.firstExisting(dir, base + ".gz", base, base.replace("-idx", ".idx"));
    }

    /** The embedded Fashion-MNIST subset split {@code train} or {@code t10k}, read from the classpath. */
    static ImageStore embedded(String split, List<String> classes) {
        String img = EMBEDDED_RESOURCE + split + "-images-idx3-ubyte.gz";
        String lab = EMBEDDED_RESOURCE + split + "-labels-idx1-ubyte.gz";
        String name = "fashion-mnist/" + (split.equals("train") ? "train" : "test");
        return parse(name, resource(img), "classpath:" + img, resource(lab), "classpath:" + lab, classes);
    }

    private static byte[] resource(String path) {
        try (InputStream in = IdxReader.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new UserException("classpath:" + path + ": embedded data missing from the build");
            }
            return BinaryFiles.maybeGunzip(in.readAllBytes(), "classpath:" + path);
        } catch (IOException e) {
            throw new UserException("classpath:" + path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads an image file and its label file into a store of grey (1-channel) images.
     *
     * @param name       store name used in messages, e.g. {@code "fashion-mnist/train"}
     * @param images     IDX image file
     * @param labels     IDX label file
     * @param classNames class names; every label must be below their count
     */
    public static ImageStore read(String name, Path images, Path labels, List<String> classNames) {
        byte[] img = BinaryFiles.readMaybeGzipped(images);
        byte[] lab = BinaryFiles.readMaybeGzipped(labels);
        return parse(name, img, images.toString(), lab, labels.toString(), classNames);
    }

    /** Parses IDX images and labels already in memory; {@code imagesName}/{@code labelsName} name them in messages. */
    public static ImageStore parse(String name, byte[] img, String imagesName, byte[] lab, String labelsName,
                                   List<String> classNames) {
        if (img.length < 16) {
            throw new UserException(imagesName + ": truncated IDX header (" + img.length + " bytes)");
        }
        int magic = BinaryFiles.intBE(img, 0);
        if (magic != IMAGES_MAGIC) {
            throw new UserException(imagesName + ": wrong IDX magic number 0x" + String.format("%08x", magic)
                    + ", expected 0x00000803 (images)");
        }
        int n = BinaryFiles.intBE(img, 4);
        int rows = BinaryFiles.intBE(img, 8);
        int cols = BinaryFiles.intBE(img, 12);
        if (n < 0 || rows <= 0 || cols <= 0 || rows > 65536 || cols > 65536) {
            throw new UserException(imagesName + ": bad IDX dimensions " + n + "x" + rows + "x" + cols);
        }
        long expected = 16L + (long) n * rows * cols;
        if (img.length != expected) {
            throw new UserException(imagesName + ": " + (img.length < expected ? "truncated" : "too long") + ": "
                    + img.length + " bytes, expected " + expected + " for " + n + " images of " + rows + "x" + cols);
        }
        if (lab.length < 8) {
            throw new UserException(labelsName + ": truncated IDX header (" + lab.length + " bytes)");
        }
        int lmagic = BinaryFiles.intBE(lab, 0);
        if (lmagic != LABELS_MAGIC) {
            throw new UserException(labelsName + ": wrong IDX magic number 0x" + String.format("%08x", lmagic)
                    + ", expected 0x00000801 (labels)");
        }
        int ln = BinaryFiles.intBE(lab, 4);
        if (ln < 0 || lab.length != 8L + ln) {
            throw new UserException(labelsName + ": " + (lab.length < 8L + ln ? "truncated" : "too long") + ": "
                    + lab.length + " bytes, expected " + (8L + ln) + " for " + ln + " labels");
        }
        if (ln != n) {
            throw new UserException(labelsName + ": " + ln + " labels but " + imagesName + " has " + n + " images");
        }
        int size = rows * cols;
        byte[][] pixels = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = java.util.Arrays.copyOfRange(img, 16 + i * size, 16 + (i + 1) * size);
            int l = lab[8 + i] & 0xFF;
            if (l >= classNames.size()) {
                throw new UserException(labelsName + ": label " + l + " of item " + i + " out of range 0.."
                        + (classNames.size() - 1));
            }
            labels[i] = l;
        }
        return new ImageStore(name, rows, cols, 1, pixels, labels, classNames);
    }

    /** Encodes grey images and labels in the IDX layout (images file, labels file), uncompressed. */
    public static byte[][] encode(ImageStore store) {
        if (store.channels() != 1) {
            throw new IllegalArgumentException("IDX holds grey images only");
        }
        int n = store.size();
        int size = store.height() * store.width();
        byte[] img = new byte[16 + n * size];
        putIntBE(img, 0, IMAGES_MAGIC);
        putIntBE(img, 4, n);
        putIntBE(img, 8, store.height());
        putIntBE(img, 12, store.width());
        byte[] lab = new byte[8 + n];
        putIntBE(lab, 0, LABELS_MAGIC);
        putIntBE(lab, 4, n);
        for (int i = 0; i < n; i++) {
            System.arraycopy(store.pixels(i), 0, img, 16 + i * size, size);
            lab[8 + i] = (byte) store.label(i);
        }
        return new byte[][] {img, lab};
    }

    private static void putIntBE(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
