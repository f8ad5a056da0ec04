package org.selfsup.data;

/**
 * Per-channel mean and standard deviation for torchvision's {@code ToTensor} + {@code Normalize}.
 *
 * @param mean per-channel mean in [0, 1] units
 * @param std  per-channel standard deviation in [0, 1] units
 */
public record Normalization(float[] mean, float[] std) {
    /** CIFAR-10/100 (both repositories use these for CIFAR-100 too). */
    public static final Normalization CIFAR = new Normalization(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});
    /** STL-10 (RSA). */
    public static final Normalization STL10 = new Normalization(
            new float[] {0.4408f, 0.4279f, 0.3867f}, new float[] {0.2682f, 0.2610f, 0.2686f});
    /** Tiny-ImageNet (RSA). */
    public static final Normalization TINY_IMAGENET = new Normalization(
            new float[] {0.4802f, 0.4481f, 0.3975f}, new float[] {0.2302f, 0.2265f, 0.2262f});
    /** ImageNet. */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    /** Fashion-MNIST (grey repeated to 3 channels): mean 0.2860, std 0.3530 of the training set. */
    public static final Normalization FASHION_MNIST = new Normalization(
            new float[] {0.2860f, 0.2860f, 0.2860f}, new float[] {0.3530f, 0.3530f, 0.3530f});
    /** MNIST (grey repeated to 3 channels): the usual mean 0.1307, std 0.3081 of the 60k training set. */
    public static final Normalization MNIST = new Normalization(
            new float[] {0.1307f, 0.1307f, 0.1307f}, new float[] {0.3081f, 0.3081f, 0.3081f});

    public Normalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 means and 3 stds");
        }
    }
}
