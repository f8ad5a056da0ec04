package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code ImageEnhance.Color(img).enhance(factor)} (torchvision {@code adjust_saturation} on PIL
 * images): blend with the luma image repeated into three channels.
 */
public final class Saturation implements ImageOp {
    private final double factor;

    /** @param factor 0 gives the grey image, 1 the original image */
    public Saturation(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("saturation factor must be >= 0: " + factor);
        }
        this.factor = factor;
    }

    @Override
    public Image apply(Image in) {
        if (factor == 1.0 || in.channels() == 1) {
            return in.copy();
        }
        Pixels.requireRgb(in);
        float alpha = (float) factor;
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i += 3) {
            int r = src[i] & 0xFF;
            int g = src[i + 1] & 0xFF;
            int b = src[i + 2] & 0xFF;
            int l = Pixels.luma(r, g, b);
            out[i] = (byte) Pixels.blend(l, r, alpha);
            out[i + 1] = (byte) Pixels.blend(l, g, alpha);
            out[i + 2] = (byte) Pixels.blend(l, b, alpha);
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Saturation(" + factor + ")";
    }
}
