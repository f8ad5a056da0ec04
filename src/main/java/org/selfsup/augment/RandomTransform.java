package org.selfsup.augment;

import java.util.SplittableRandom;
import org.selfsup.data.Image;

/**
 * A random image transform: samples its parameters from {@code rng} (torchvision's sampling rules)
 * and applies the corresponding {@link ImageOp}s.
 *
 * <p>All randomness comes from the given stream, so the result is a pure function of the input
 * image and the stream's state.
 */
@FunctionalInterface
public interface RandomTransform {
    /** Applies the transform; never modifies {@code in}. */
    Image apply(Image in, SplittableRandom rng);

    /** This transform followed by {@code next} (torchvision {@code Compose}). */
    default RandomTransform then(RandomTransform next) {
        return (img, rng) -> next.apply(apply(img, rng), rng);
    }
}
