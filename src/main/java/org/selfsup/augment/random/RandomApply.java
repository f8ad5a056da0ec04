package org.selfsup.augment.random;

import java.util.Objects;
import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.data.Image;

/**
 * torchvision {@code RandomApply([t], p)}: applies {@code t} with probability {@code p}, else returns
 * the input unchanged. The decision takes one uniform draw before {@code t} draws its own parameters.
 */
public final class RandomApply implements RandomTransform {
    private final RandomTransform transform;
    private final double p;

    public RandomApply(RandomTransform transform, double p) {
        this.transform = Objects.requireNonNull(transform);
        this.p = Probability.check(p);
    }

    /** Whether this draw applies the wrapped transform. */
    public boolean sampleApply(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        return sampleApply(rng) ? transform.apply(in, rng) : in;
    }
}
