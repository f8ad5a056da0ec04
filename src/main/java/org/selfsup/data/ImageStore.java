package org.selfsup.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory split of a data set: uint8 HWC images of one size, an integer label per image
 * ({@code -1} when unlabelled) and the class names.
 *
 * <p>Images are kept as one array each so a store may exceed the 2 GiB limit of a single Java array
 * (STL-10's unlabelled split is 2.7 GB).
 */
public final class ImageStore implements ImageSet {
    private final String name;
    private final int height;
    private final int width;
    private final int channels;
    private final byte[][] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param name        a short description, e.g. {@code "cifar10/train"}, used in messages
     * @param pixels      one HWC array per image, each of length height*width*channels
     * @param labels      one label per image in {@code [0, classNames.size())}, or -1 for unlabelled
     * @param classNames  class names, indexed by label (may be empty for unlabelled data)
     */
    public ImageStore(String name, int height, int width, int channels, byte[][] pixels, int[] labels,
                      List<String> classNames) {
        this.name = Objects.requireNonNull(name);
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.pixels = Objects.requireNonNull(pixels);
        this.labels = Objects.requireNonNull(labels);
        this.classNames = List.copyOf(classNames);
        if (pixels.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " images but " + labels.length + " labels");
        }
        int len = height * width * channels;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i].length != len) {
                throw new IllegalArgumentException(name + ": image " + i + " has " + pixels[i].length + " bytes, expected " + len);
            }
            int l = labels[i];
            if (l < -1 || (l >= classNames.size() && !classNames.isEmpty())) {
                throw new IllegalArgumentException(name + ": label " + l + " of image " + i + " out of range");
            }
        }
    }

    @Override public String name() { return name; }
    @Override public int size() { return pixels.length; }
    public int height() { return height; }
    public int width() { return width; }
    public int channels() { return channels; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int numClasses() { return classNames.size(); }

    /** Label of image {@code i}, or -1 if unlabelled. */
    @Override
    public int label(int i) { return labels[i]; }

    /** All labels (the backing array: do not modify). */
    @Override
    public int[] labels() { return labels; }

    /** Raw HWC bytes of image {@code i} (the backing array: do not modify). */
    public byte[] pixels(int i) { return pixels[i]; }

    /** Image {@code i} in its stored channel count (wraps the backing array: do not modify). */
    public Image image(int i) {
        return new Image(height, width, channels, pixels[i]);
    }

    /** Image {@code i} as 3-channel RGB (grey is repeated to 3 channels). */
    @Override
    public Image rgb(int i) {
        return image(i).toRgb();
    }

    /**
     * {@code set} as an in-memory store of one image size, for the code paths that need one (batched
     * device augmentation, IDX export, pixel statistics).
     *
     * @param purpose what needs it, for the message, e.g. {@code "--augment-on device"}
     * @throws org.selfsup.util.UserException if {@code set} streams its images from files
     */
    public static ImageStore inMemory(ImageSet set, String purpose) {
        if (set instanceof ImageStore s) {
            return s;
        }
        throw new org.selfsup.util.UserException(purpose + " needs a data set held in memory at one image size "
                + "(CIFAR, STL-10, MNIST, synthetic); " + set.name() + " streams full-resolution pictures from files");
    }

    /** A store with the images at {@code indices}, in that order (shares pixel arrays). */
    @Override
    public ImageStore subset(String newName, int[] indices) {
        byte[][] p = new byte[indices.length][];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            p[k] = pixels[indices[k]];
            l[k] = labels[indices[k]];
        }
        return new ImageStore(newName, height, width, channels, p, l, classNames);
    }

    /** The concatenation of stores of equal image size, e.g. STL-10 {@code train+unlabeled}. */
    public static ImageStore concat(String newName, ImageStore a, ImageStore b) {
        if (a.height != b.height || a.width != b.width || a.channels != b.channels) {
            throw new IllegalArgumentException("cannot concatenate " + a.name + " and " + b.name + ": image sizes differ");
        }
        byte[][] p = new byte[a.size() + b.size()][];
        int[] l = new int[p.length];
        System.arraycopy(a.pixels, 0, p, 0, a.size());
        System.arraycopy(b.pixels, 0, p, a.size(), b.size());
        System.arraycopy(a.labels, 0, l, 0, a.size());
        System.arraycopy(b.labels, 0, l, a.size(), b.size());
        List<String> names = a.classNames.isEmpty() ? b.classNames : a.classNames;
        return new ImageStore(newName, a.height, a.width, a.channels, p, l, names);
    }
}
