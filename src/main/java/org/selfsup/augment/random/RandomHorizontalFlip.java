package org.selfsup.augment.random;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.HorizontalFlip;
import org.selfsup.data.Image;

/** torchvision {@code RandomHorizontalFlip(p)}: mirrors the image with probability {@code p}. */
public final class RandomHorizontalFlip implements RandomTransform {
    private static final HorizontalFlip FLIP = new HorizontalFlip();
    private final double p;

    public RandomHorizontalFlip(double p) {
        this.p = Probability.check(p);
    }

    /** Whether this draw flips (one uniform draw). */
    public boolean sampleFlip(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        return sampleFlip(rng) ? FLIP.apply(in) : in;
    }
}
