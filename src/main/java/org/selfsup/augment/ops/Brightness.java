package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code ImageEnhance.Brightness(img).enhance(factor)} (torchvision {@code adjust_brightness} on
 * PIL images): blend with a black image.
 */
public final class Brightness implements ImageOp {
    private final double factor;
    private final int[] lut;

    /** @param factor 0 gives black, 1 the original image */
    public Brightness(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("brightness factor must be >= 0: " + factor);
        }
        this.factor = factor;
        this.lut = factor == 1.0 ? null : Pixels.blendLut(0, (float) factor);
    }

    @Override
    public Image apply(Image in) {
        return lut == null ? in.copy() : Pixels.applyLut(in, lut);
    }

    @Override
    public String toString() {
        return "Brightness(" + factor + ")";
    }
}
