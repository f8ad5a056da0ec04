package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * torchvision {@code adjust_hue(img, shift)} on PIL images: convert to Pillow's 8-bit HSV, add
 * {@code uint8(shift * 255)} to H with wrap-around, convert back to RGB.
 */
public final class Hue implements ImageOp {
    private final double shift;
    private final int delta;

    /** @param shift hue shift in [-0.5, 0.5] (fraction of the hue circle) */
    public Hue(double shift) {
        if (!(shift >= -0.5 && shift <= 0.5)) {
            throw new IllegalArgumentException("hue shift must be in [-0.5, 0.5]: " + shift);
        }
        this.shift = shift;
        // numpy's uint8(float) truncates toward zero and wraps modulo 256.
        this.delta = ((int) (shift * 255)) & 0xFF;
    }

    @Override
    public Image apply(Image in) {
        if (in.channels() == 1) {
            return in.copy();
        }
        Pixels.requireRgb(in);
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i += 3) {
            int r = src[i] & 0xFF;
            int g = src[i + 1] & 0xFF;
            int b = src[i + 2] & 0xFF;
            int rgb = HsvConvert.shiftHue(r, g, b, delta);
            out[i] = (byte) (rgb >>> 16);
            out[i + 1] = (byte) (rgb >>> 8);
            out[i + 2] = (byte) rgb;
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Hue(" + shift + ")";
    }
}
