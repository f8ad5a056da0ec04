package org.selfsup.augment.random;

import java.util.Objects;
import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.data.Image;

/**
 * Applies {@code first} with probability {@code p}, otherwise {@code second} (DSSL ImageNet's heavy
 * policy: RandAugment with p 0.9, else GridShuffle).
 */
public final class RandomEither implements RandomTransform {
    private final double p;
    private final RandomTransform first;
    private final RandomTransform second;

    public RandomEither(double p, RandomTransform first, RandomTransform second) {
        this.p = Probability.check(p);
        this.first = Objects.requireNonNull(first);
        this.second = Objects.requireNonNull(second);
    }

    /** True when this draw picks {@code first}. */
    public boolean sampleFirst(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        return sampleFirst(rng) ? first.apply(in, rng) : second.apply(in, rng);
    }
}
