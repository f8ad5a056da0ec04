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
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("contrast factor must be >= 0: " + factor);
        }
        this.factor = factor;
    }

    @Override
    public Image apply(Image in) {
        if (factor == 1.0) {
            return in.copy();
        }
        byte[] luma = Pixels.lumaPlane(in);
        long sum = 0;
        for (byte v : luma) {
            sum += v & 0xFF;
        }
        double mean = (double) sum / luma.length;
        int grey = (int) (mean + 0.5);
        return Pixels.applyLut(in, Pixels.blendLut(grey, (float) factor));
    }

    @Override
    public String toString() {
        return "Contrast(" + factor + ")";
    }
}
