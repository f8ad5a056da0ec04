package org.selfsup.augment;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.selfsup.data.Image;

/**
 * A named recipe that turns one source image into the views a method trains on.
 *
 * <p>Views have names (e.g. {@code w1, w2, a1, a2} for RSA) and may be derived from another view
 * (an aggressive or heavy view is made from an already augmented weak or standard view, sharing
 * its crop and flip): {@link #sourceOf(String)} gives that partial order, which the methods and the
 * semantic-shift diagnostic use.
 */
public interface ViewPlan {
    /** The plan's name, e.g. {@code "rsa"}. */
    String name();

    /** Names of the views, in the order {@link #views} returns them. */
    List<String> viewNames();

    /** The view that {@code view} was derived from, or empty for a view made from the source image. */
    Optional<String> sourceOf(String view);

    /** Output side length in pixels (views are square). */
    int size();

    /**
     * Makes all views of one source image (uint8 RGB). The result depends only on {@code image} and
     * the state of {@code rng}.
     */
    List<Image> views(Image image, SplittableRandom rng);
}
