package org.selfsup.data;

/**
 * How the pre-resized store ({@link PreresizedStore}) shrinks a picture: the layer that owns PIL's
 * resampling ({@code org.selfsup.augment.ops.CapLongerSide#PIL_BICUBIC}) provides it through
 * {@link DataOptions#preresizer}, so that the data package does not depend on the augmentation package.
 */
public interface PictureResizer {
    /** {@code picture} with its longer side capped at {@code maxSide}; the same object when already within it. */
    Image shrink(Image picture, int maxSide);

    /** What the resize is (geometry and filter); part of the store's fingerprint, so a change rebuilds it. */
    String describe();
}
