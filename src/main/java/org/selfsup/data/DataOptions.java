package org.selfsup.data;

import java.nio.file.Path;

/**
 * Options for {@link DatasetRegistry#load}. A plain mutable value with public fields; every field has a
 * usable default, so {@code new DataOptions()} loads a data set the standard way.
 */
public final class DataOptions {
    /**
     * View size in pixels; 0 = the data set's default (CIFAR 32, STL-10 64, (Fashion-)MNIST 28, folders
     * 224). For image folders and list files it is also the size images are decoded and cached at.
     */
    public int imageSize = 0;
    /** What folder/list readers do with an unreadable image. */
    public BadImagePolicy onBadImage = BadImagePolicy.SKIP;
    /** Directory of the decoded-image cache; null = {@code ~/.cache/selfsup}. */
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

    /** The cache directory in effect ({@link #cacheDir} or {@code ~/.cache/selfsup}). */
    public Path effectiveCacheDir() {
        return cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "selfsup");
    }
}
