package org.selfsup.data;

/**
 * A loaded data set, ready for pretraining and evaluation.
 *
 * @param name          registry name, e.g. {@code "cifar10"}
 * @param pretrain      images used for self-supervised pretraining (labels may be -1), e.g. STL-10
 *                      {@code train+unlabeled}
 * @param train         labelled training split: kNN memory bank and linear-probe training data
 * @param test          labelled test split: scored by kNN and the probe
 * @param normalization per-channel mean/std used after {@code ToTensor}
 * @param viewSize      side length of training views (e.g. 32 for CIFAR, 64 for STL-10, 28 for
 *                      Fashion-MNIST, 224 for ImageNet)
 */
public record Dataset(String name, ImageStore pretrain, ImageStore train, ImageStore test,
                      Normalization normalization, int viewSize) {
    /** Number of classes of the labelled splits. */
    public int numClasses() {
        return train.numClasses();
    }
}
