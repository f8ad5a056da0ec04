package org.selfsup.data;

import java.util.List;

/**
 * A split of a data set: images by index, an integer label per image ({@code -1} when unlabelled) and
 * the class names. Either held in memory at one size ({@link ImageStore}: CIFAR, STL-10, MNIST) or
 * decoded from files at full resolution whenever an image is asked for
 * ({@link org.selfsup.data.stream.StreamedImages}: image folders, list files, tar shards).
 */
public interface ImageSet {
    /** A short description used in messages, e.g. {@code "imagefolder/train"}. */
    String name();

    /** Number of images. */
    int size();

    /** Label of image {@code i}, or -1 if unlabelled. */
    int label(int i);

    /** All labels, by index (do not modify). */
    int[] labels();

    /** Class names, indexed by label (empty for unlabelled data). */
    List<String> classNames();

    /** Number of classes. */
    default int numClasses() {
        return classNames().size();
    }

    /** Image {@code i} as 3-channel uint8 RGB (grey is repeated to 3 channels). Thread-safe. */
    Image rgb(int i);

    /** The images at {@code indices}, in that order. */
    ImageSet subset(String newName, int[] indices);

    /**
     * The order in which an epoch visits the images: a uniformly random permutation from
     * {@code Seeds.stream(seed, Seeds.SHUFFLE, epoch)} (Fisher–Yates); tar shards use WebDataset's
     * shard-then-buffer order instead ({@link org.selfsup.data.stream.ShardOrder#epochOrder}).
     */
    default int[] epochOrder(long seed, int epoch) {
        return org.selfsup.util.Seeds.permutation(size(), org.selfsup.util.Seeds.stream(seed, org.selfsup.util.Seeds.SHUFFLE, epoch));
    }

    /** Whether the images keep their files' own sizes (streamed) rather than one stored size. */
    default boolean fullResolution() {
        return false;
    }
}
