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

    /** @param factor 0 gives black, 1 the original image (any finite value; results are clipped) */
    public Brightness(double factor) {
        // Any finite factor is valid for PIL (negative ones extrapolate and clip); torchvision's
        // non-negativity check belongs to the random wrappers that sample it.
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("brightness factor must be finite: " + factor);
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
