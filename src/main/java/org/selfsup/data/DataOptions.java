package org.selfsup.data;

import java.nio.file.Path;

/**
 * Options for {@link org.selfsup.data.readers.DatasetRegistry#load}. A plain mutable value with public fields;
 * every field has a usable default, so {@code new DataOptions()} loads a data set the standard way.
 */
public final class DataOptions {
    /**
     * View size in pixels; 0 = the data set's default (CIFAR 32, STL-10 64, (Fashion-)MNIST 28, folders
     * 224). Folders and lists are decoded at their full resolution whatever the view size.
     */
    public int imageSize = 0;
    /** Image folders: every image below the folder is an unlabelled sample ({@code --labels none}). */
    public boolean unlabelled = false;
    /** What folder/list readers do with an unreadable image. */
    public BadImagePolicy onBadImage = BadImagePolicy.SKIP;
    /**
     * Streamed sets (folders, lists, shards): cap every picture's longer side at this many pixels once, in
     * a store under {@link #cacheDir} read instead of the originals
     * ({@link org.selfsup.data.stream.PreresizedStore}); 0 = off.
     * A departure from the papers' pipeline: crops are then cut from the downsampled picture.
     */
    public int preresizeMaxSide = 0;
    /**
     * The resize of the pre-resized store, required with {@link #preresizeMaxSide}: given by the layer
     * that owns PIL's resampling ({@code org.selfsup.augment.ops.CapLongerSide#PIL_BICUBIC}).
     */
    public PictureResizer preresizer = null;
    /** Directory of the folder indexes, downloads and pre-resized stores; null = {@link #effectiveCacheDir()}'s default. */
    public Path cacheDir = null;
    /** Download the data set's official files first if they are missing (Fashion-MNIST, CIFAR, STL-10). */
    public boolean download = false;
    /** CIFAR-100: use the 20 coarse labels instead of the 100 fine ones. */
    public boolean coarseLabels = false;
    /** List files: the label of the first class (DSSL's ImageNet lists are 1-based). */
    public int listLabelBase = 1;
    /** List files: folder under the root that the listed relative paths start from (DSSL: {@code all}). */
    public String listImageDir = "all";
    /** List files: training list under the root. */
    public String trainList = "train.txt";
    /** List files: test list under the root. */
    public String testList = "test.txt";
    /** Synthetic data: number of training images. */
    public int syntheticTrain = 1000;
    /** Synthetic data: number of test images. */
    public int syntheticTest = 200;
    /** Synthetic data: number of classes. */
    public int syntheticClasses = 10;
    /** Synthetic data: image side length (also the default view size). */
    public int syntheticSize = 32;
    /** Synthetic data: generator seed. */
    public long syntheticSeed = 0;

    /** {@code --on-bad-image skip|fail} as a policy; a UserException for another value. */
    public static BadImagePolicy policy(String value) {
        BadImagePolicy p = org.selfsup.util.Labelled.find(BadImagePolicy.class, value);
        if (p == null) {
            throw new org.selfsup.util.UserException("--on-bad-image must be "
                    + String.join(" or ", BadImagePolicy.LABELS) + ", got '" + value + "'");
        }
        return p;
    }

    /** {@code --labels folders|none}: whether image folders are unlabelled; a UserException for another value. */
    public static boolean unlabelled(String value) {
        LabelSource s = org.selfsup.util.Labelled.find(LabelSource.class, value);
        if (s == null) {
            throw new org.selfsup.util.UserException("--labels must be " + String.join(" or ", LabelSource.LABELS)
                    + ", got '" + value + "'");
        }
        return s == LabelSource.NONE;
    }

    /**
     * The cache directory in effect: {@link #cacheDir}, else {@code $XDG_CACHE_HOME/selfsup}, else
     * {@code ~/.cache/selfsup} (the XDG base-directory convention).
     */
    public Path effectiveCacheDir() {
        if (cacheDir != null) {
            return cacheDir;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg, "selfsup")
                : Path.of(System.getProperty("user.home"), ".cache", "selfsup");
    }
}
