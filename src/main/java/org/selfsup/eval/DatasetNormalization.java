package org.selfsup.eval;

import org.selfsup.config.TrainConfig;
import org.selfsup.data.DatasetRegistry;
import org.selfsup.data.Normalization;

/** The per-channel normalisation a run's data set uses, without loading the images when it is fixed. */
public final class DatasetNormalization {
    private DatasetNormalization() {}

    /** The normalisation of {@code config.dataset} (synthetic data is loaded to compute its statistics). */
    public static Normalization of(TrainConfig config) {
        return switch (DatasetRegistry.checkName(config.dataset)) {
            case "fashion-mnist" -> Normalization.FASHION_MNIST;
            case "mnist" -> DatasetRegistry.MNIST_NORMALIZATION;
            case "cifar10", "cifar100" -> Normalization.CIFAR;
            case "stl10" -> Normalization.STL10;
            case "tinyimagenet" -> Normalization.TINY_IMAGENET;
            case "imagefolder", "listfile" -> Normalization.IMAGENET;
            default -> EvalData.load(config, null, null).normalization();
        };
    }
}
