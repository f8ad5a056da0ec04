package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * PIL {@code ImageEnhance.Sharpness(img).enhance(factor)}: blend with {@code ImageFilter.SMOOTH}
 * (3x3 kernel 1 1 1 / 1 5 1 / 1 1 1, divided by 13; border pixels are left unfiltered as in Pillow).
 */
public final class Sharpness implements ImageOp {
    private static final float K1 = 1f / 13f;
    private static final float K5 = 5f / 13f;
    private final double factor;

    /** @param factor 0 gives the smoothed image, 1 the original image, above 1 sharpens */
    public Sharpness(double factor) {
        this.factor = factor;
    }

    @Override
    public Image apply(Image in) {
        if (factor == 1.0) {
            return in.copy();
        }
        byte[] smooth = smooth(in);
        return Pixels.like(in, Pixels.blend(smooth, in.data(), (float) factor));
    }

    /** Pillow's 3x3 filter in single precision with rounding; the outermost rows and columns are copied. */
    static byte[] smooth(Image in) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        byte[] src = in.data();
        byte[] out = src.clone();
        int row = w * c;
        for (int y = 1; y < h - 1; y++) {
            int up = (y - 1) * row;
            int mid = y * row;
            int down = (y + 1) * row;
            for (int x = 1; x < w - 1; x++) {
                for (int k = 0; k < c; k++) {
                    int i = x * c + k;
                    // Same summation order as Pillow: row below first, then this row, then the row above.
                    float ss = 0f;
                    ss += (src[down + i - c] & 0xFF) * K1 + (src[down + i] & 0xFF) * K1 + (src[down + i + c] & 0xFF) * K1;
                    ss += (src[mid + i - c] & 0xFF) * K1 + (src[mid + i] & 0xFF) * K5 + (src[mid + i + c] & 0xFF) * K1;
                    ss += (src[up + i - c] & 0xFF) * K1 + (src[up + i] & 0xFF) * K1 + (src[up + i + c] & 0xFF) * K1;
                    out[mid + i] = (byte) clipRound(ss);
                }
            }
        }
        return out;
    }

    private static int clipRound(float v) {
        if (v <= 0f) {
            return 0;
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) (v + 0.5f);
    }

    @Override
    public String toString() {
        return "Sharpness(" + factor + ")";
    }
}
