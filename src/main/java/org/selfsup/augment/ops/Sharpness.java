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
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("sharpness factor must be finite: " + factor);
        }
        this.factor = factor;
    }

    @Override
    public Image apply(Image in) {
        if (factor == 1.0) {
            return in.copy();
        }
        return Pixels.like(in, smoothAndBlend(in, (float) factor));
    }

    /**
     * Pillow's 3x3 SMOOTH filter in single precision with rounding, blended with the image at once.
     * The outermost rows and columns are not filtered by Pillow, so there the blend of a value with
     * itself returns it unchanged.
     */
    static byte[] smoothAndBlend(Image in, float alpha) {
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
            for (int i = c; i < row - c; i++) {
                // Same summation order as Pillow: row below first, then this row, then the row above.
                float ss = 0f;
                ss += (src[down + i - c] & 0xFF) * K1 + (src[down + i] & 0xFF) * K1 + (src[down + i + c] & 0xFF) * K1;
                ss += (src[mid + i - c] & 0xFF) * K1 + (src[mid + i] & 0xFF) * K5 + (src[mid + i + c] & 0xFF) * K1;
                ss += (src[up + i - c] & 0xFF) * K1 + (src[up + i] & 0xFF) * K1 + (src[up + i + c] & 0xFF) * K1;
                out[mid + i] = (byte) Pixels.blend(clipRound(ss), src[mid + i] & 0xFF, alpha);
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
