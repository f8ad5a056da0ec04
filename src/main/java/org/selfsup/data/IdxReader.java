package org.selfsup.data;

import java.nio.file.Path;
import java.util.List;
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

    private IdxReader() {}

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
