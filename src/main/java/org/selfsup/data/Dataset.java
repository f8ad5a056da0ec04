package org.selfsup.data;

/**
 * A loaded data set, ready for pretraining and evaluation.
 *
 * @param name          registry name, e.g. {@code "cifar10"}
 * @param pretrain      images used for self-supervised pretraining (labels may be -1), e.g. STL-10
 *                      {@code train+unlabeled}
 * @param train         training split: kNN memory bank and linear-probe training data (unlabelled for an
 *                      image folder read with {@code --labels none})
 * @param test          labelled test split scored by kNN and the probe, or null when the data set has none
 *                      (an image folder with only {@code train/}): then there is no evaluation
 * @param normalization per-channel mean/std used after {@code ToTensor}
 * @param viewSize      side length of training views (e.g. 32 for CIFAR, 64 for STL-10, 28 for
 *                      Fashion-MNIST, 224 for ImageNet)
 */
public record Dataset(String name, ImageSet pretrain, ImageSet train, ImageSet test,
                      Normalization normalization, int viewSize) {
    /** Number of classes of the labelled splits. */
    public int numClasses() {
        return train.numClasses();
    }

    /**
     * Why this data set cannot be evaluated (kNN monitor, probes), or null if it can: no test split,
     * or unlabelled training images.
     */
    public String whyNoEvaluation() {
        if (train.numClasses() == 0) {
            return "its training images are unlabelled";
        }
        if (test == null) {
            return "it has no test split";
        }
        if (test.size() == 0) {
            return "its test split " + test.name() + " has no usable image";
        }
        return null;
    }

    /**
     * Whether evaluation is impossible only because the data set has none to offer (no test split,
     * unlabelled images), rather than because a test split exists but is unusable (then asking for an
     * evaluation is an error).
     */
    public boolean evaluationAbsent() {
        return test == null || train.numClasses() == 0;
    }

    /** Whether the images are streamed from files at their own sizes (folders, lists, shards). */
    public boolean fullResolution() {
        return pretrain.fullResolution();
    }
}
