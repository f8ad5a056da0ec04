package org.selfsup.data;

/**
 * How the pre-resized store ({@link org.selfsup.data.stream.PreresizedStore}) shrinks a picture: the layer
 * that owns PIL's resampling ({@code org.selfsup.augment.ops.CapLongerSide#PIL_BICUBIC}) provides it through
 * {@link DataOptions#preresizer}, so that the data packages do not depend on the augmentation package. It
 * lives here, beside {@link DataOptions} which carries it, rather than with the store.
 */
public interface PictureResizer {
    /** {@code picture} with its longer side capped at {@code maxSide}; the same object when already within it. */
    Image shrink(Image picture, int maxSide);

    /** What the resize is (geometry and filter); part of the store's fingerprint, so a change rebuilds it. */
    String describe();
}
