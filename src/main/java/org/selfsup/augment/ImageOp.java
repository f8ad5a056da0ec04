package org.selfsup.augment;

import org.selfsup.data.Image;

/**
 * A deterministic image operation with PIL/torchvision semantics: uint8 RGB HWC in, uint8 out.
 *
 * <p>Parameters are fixed when the op is constructed; an op has no hidden randomness. Random
 * transforms ({@link RandomTransform}) sample parameters and then build and apply ops.
 */
@FunctionalInterface
public interface ImageOp {
    /** Applies the operation; never modifies {@code in}. */
    Image apply(Image in);
}
