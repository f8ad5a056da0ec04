package org.selfsup.augment.plans;

import java.util.Objects;
import org.selfsup.augment.RandomTransform;

/**
 * One view of a {@link ComposedPlan}: its name, the view it is derived from ({@code null} = the
 * source image) and the random transform that makes it from that input.
 */
public record ViewSpec(String name, String source, RandomTransform transform) {
    public ViewSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(transform);
    }

    /** A view made from the source image. */
    public static ViewSpec fromImage(String name, RandomTransform transform) {
        return new ViewSpec(name, null, transform);
    }

    /** A view made from the already augmented view {@code source} (sharing its crop and flip). */
    public static ViewSpec derived(String name, String source, RandomTransform transform) {
        return new ViewSpec(name, Objects.requireNonNull(source), transform);
    }
}
