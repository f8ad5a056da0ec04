package org.selfsup.augment.random;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.GaussianBlur;
import org.selfsup.data.Image;

/**
 * The MoCo-v2/BYOL {@code GaussianBlur(sigma=[0.1, 2.0])} used by RSA and DSSL: {@code sigma ~ U(min,
 * max)}, then PIL {@code ImageFilter.GaussianBlur(radius=sigma)}. The range does not depend on the
 * image size (RSA applies it to 32x32 CIFAR too). Always applied: wrap in {@link RandomApply} for p.
 */
public final class RandomGaussianBlur implements RandomTransform {
    private final double sigmaMin;
    private final double sigmaMax;

    /** The standard range [0.1, 2.0]. */
    public RandomGaussianBlur() {
        this(0.1, 2.0);
    }

    public RandomGaussianBlur(double sigmaMin, double sigmaMax) {
        if (!(0 <= sigmaMin && sigmaMin <= sigmaMax)) {
            throw new IllegalArgumentException("blur sigma range must satisfy 0 <= min <= max: " + sigmaMin + ".." + sigmaMax);
        }
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    /** The blur radius for this draw (Python {@code random.uniform}). */
    public double sampleSigma(SplittableRandom rng) {
        return RandomResizedCrop.uniform(rng, sigmaMin, sigmaMax);
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        return new GaussianBlur(sampleSigma(rng)).apply(in);
    }
}
