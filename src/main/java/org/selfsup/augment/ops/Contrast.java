package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code ImageEnhance.Contrast(img).enhance(factor)} (torchvision {@code adjust_contrast} on PIL
 * images): blend with a uniform grey image at {@code int(mean(luma) + 0.5)}.
 */
public final class Contrast implements ImageOp {
    private final double factor;

    /** @param factor 0 gives a uniform grey image, 1 the original image */
    public Contrast(double factor) {
        // Any finite factor is valid for PIL (negative ones extrapolate and clip); torchvision's
        // non-negativity check belongs to the random wrappers that sample it.
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("contrast factor must be finite: " + factor);
        }
        this.factor = factor;
    }

    @Override
    public Image apply(Image in) {
        if (factor == 1.0) {
            return in.copy();
        }
        double mean = (double) Pixels.lumaSum(in) / ((long) in.height() * in.width());
        int grey = (int) (mean + 0.5);
        return Pixels.applyLut(in, Pixels.blendLut(grey, (float) factor));
    }

    @Override
    public String toString() {
        return "Contrast(" + factor + ")";
    }
}
