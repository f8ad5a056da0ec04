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
        if (h < 3 || w < 3) {
            return out;
        }
        int row = w * c;
        // Each source row as floats, and shifted one pixel left and right, so that the 3x3 sum reads
        // nine arrays at one index (Java 21+ vectorises such a loop; Java 17's gain here comes from the
        // branch-free clamps); three rows are kept and rotated.
        float[][][] rows = new float[3][][];
        for (int k = 0; k < 3; k++) {
            rows[k] = floatRow(src, k * row, row, c, null);
        }
        int[] result = new int[row];
        for (int y = 1; y < h - 1; y++) {
            float[][] up = rows[(y - 1) % 3];
            float[][] mid = rows[y % 3];
            float[][] down = rows[(y + 1) % 3];
            smoothRow(up, mid, down, alpha, c, row - c, result);
            Pixels.narrowRow(result, c, row - c, out, y * row + c);
            if (y + 2 < h) {
                rows[(y + 2) % 3] = floatRow(src, (y + 2) * row, row, c, up);
            }
        }
        return out;
    }

    /** {@code {left, centre, right}}: the row's values as floats, and shifted by one pixel each way. */
    private static float[][] floatRow(byte[] src, int base, int n, int c, float[][] reuse) {
        float[][] r = reuse != null ? reuse : new float[3][n];
        float[] centre = r[1];
        for (int i = 0; i < n; i++) {
            centre[i] = src[base + i] & 0xFF;
        }
        System.arraycopy(centre, 0, r[0], c, n - c); // r[0][i] = centre[i - c]
        System.arraycopy(centre, c, r[2], 0, n - c); // r[2][i] = centre[i + c]
        return r;
    }

    /**
     * Pillow's SMOOTH sum for samples {@code from..to-1} of a row, in its summation order (row below
     * first, then this row, then the row above, each left to right), rounded and clipped, then blended
     * with the sample: {@code (int) clamp(smooth + alpha * (v - smooth), 0, 255)}, which equals
     * {@link Pixels#blend} for any alpha (inside [0, 1] the value is already in range).
     */
    private static void smoothRow(float[][] up, float[][] mid, float[][] down, float alpha, int from, int to,
                                  int[] result) {
        float[] u0 = up[0];
        float[] u1 = up[1];
        float[] u2 = up[2];
        float[] m0 = mid[0];
        float[] m1 = mid[1];
        float[] m2 = mid[2];
        float[] d0 = down[0];
        float[] d1 = down[1];
        float[] d2 = down[2];
        for (int i = from; i < to; i++) {
            float ss = d0[i] * K1 + d1[i] * K1 + d2[i] * K1;
            ss += m0[i] * K1 + m1[i] * K5 + m2[i] * K1;
            ss += u0[i] * K1 + u1[i] * K1 + u2[i] * K1;
            // clipRound: v <= 0 -> 0, v >= 255 -> 255, else (int) (v + 0.5). Conditional expressions, not
            // Math.min/max: on JDK 17 those cost four times as much in this loop (NaN and -0 handling).
            float clipped = ss < 0f ? 0f : ss > 255f ? 255f : ss;
            int smooth = (int) (clipped + 0.5f);
            float t = smooth + alpha * (m1[i] - smooth);
            result[i] = (int) (t < 0f ? 0f : t > 255f ? 255f : t);
        }
    }

    @Override
    public String toString() {
        return "Sharpness(" + factor + ")";
    }
}
