package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code ImageEnhance.Color(img).enhance(factor)} (torchvision {@code adjust_saturation} on PIL
 * images): blend with the luma image repeated into three channels.
 */
public final class Saturation implements ImageOp {
    /** Entries of the (luma, value) blend table. */
    private static final int TABLE_SIZE = 256 * 256;
    private final double factor;

    /** @param factor 0 gives the grey image, 1 the original image */
    public Saturation(double factor) {
        // Any finite factor is valid for PIL (negative ones extrapolate and clip); torchvision's
        // non-negativity check belongs to the random wrappers that sample it.
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("saturation factor must be finite: " + factor);
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
        if (src.length < 2 * TABLE_SIZE) {
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
        // Large pictures: the blend of every (luma, value) pair once, then lookups (same values).
        byte[] table = new byte[TABLE_SIZE];
        for (int l = 0; l < 256; l++) {
            for (int v = 0; v < 256; v++) {
                table[l << 8 | v] = (byte) Pixels.blend(l, v, alpha);
            }
        }
        for (int i = 0; i < src.length; i += 3) {
            int r = src[i] & 0xFF;
            int g = src[i + 1] & 0xFF;
            int b = src[i + 2] & 0xFF;
            int row = Pixels.luma(r, g, b) << 8;
            out[i] = table[row | r];
            out[i + 1] = table[row | g];
            out[i + 2] = table[row | b];
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Saturation(" + factor + ")";
    }
}
