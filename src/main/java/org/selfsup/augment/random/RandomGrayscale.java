package org.selfsup.augment.random;

import java.util.SplittableRandom;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.Grayscale;
import org.selfsup.data.Image;

/** torchvision {@code RandomGrayscale(p)}: luma grey copied to 3 channels with probability {@code p}. */
public final class RandomGrayscale implements RandomTransform {
    private static final Grayscale GRAY = new Grayscale();
    private final double p;

    public RandomGrayscale(double p) {
        this.p = Probability.check(p);
    }

    /** Whether this draw converts to grey (one uniform draw). */
    public boolean sampleGray(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        return sampleGray(rng) ? GRAY.apply(in) : in;
    }
}
