package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * Pillow {@code ImageFilter.GaussianBlur(radius)}: three passes of an extended box blur per axis
 * ({@code BoxBlur.c}), first along rows, then along columns, each pass rounded to uint8. The box
 * radius comes from Gwosdek et al.'s formula in single precision, as in Pillow.
 */
public final class GaussianBlur implements ImageOp {
    private static final int PASSES = 3;
    private final double radius;
    private final int boxRadius;
    private final int ww;
    private final int fw;

    /** @param radius the Gaussian's standard deviation in pixels (>= 0) */
    public GaussianBlur(double radius) {
        if (!(radius >= 0)) {
            throw new IllegalArgumentException("blur radius must be >= 0: " + radius);
        }
        this.radius = radius;
        float box = boxRadius((float) radius);
        this.boxRadius = (int) box;
        this.ww = (int) (long) (16777216f / (box * 2f + 1f));
        this.fw = (int) (((1L << 24) - (boxRadius * 2L + 1) * ww) / 2);
    }

    /** Pillow's {@code _gaussian_blur_radius}: the fractional box radius for {@link #PASSES} passes. */
    static float boxRadius(float radius) {
        float sigma2 = radius * radius / PASSES;
        float bigL = (float) Math.sqrt(12.0 * sigma2 + 1.0);
        float l = (float) Math.floor((bigL - 1.0) / 2.0);
        float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    @Override
    public Image apply(Image in) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        if (ww == 1 << 24) {
            // Box radius 0 (radius 0): every pass is the identity.
            System.arraycopy(src, 0, out, 0, src.length);
            return Pixels.like(in, out);
        }
        int[] img = new int[src.length];
        int maxLen = Math.max(h, w);
        int[] a = new int[maxLen];
        int[] b = new int[maxLen];
        int row = w * c;
        // Rows first (Pillow's horizontal passes), then columns (its passes on the transposed image).
        for (int y = 0; y < h; y++) {
            for (int ch = 0; ch < c; ch++) {
                int base = y * row + ch;
                for (int x = 0, p = base; x < w; x++, p += c) {
                    a[x] = src[p] & 0xFF;
                }
                int[] r = threePasses(a, b, w);
                for (int x = 0, p = base; x < w; x++, p += c) {
                    img[p] = r[x];
                }
            }
        }
        for (int x = 0; x < w; x++) {
            for (int ch = 0; ch < c; ch++) {
                int base = x * c + ch;
                for (int y = 0, p = base; y < h; y++, p += row) {
                    a[y] = img[p];
                }
                int[] r = threePasses(a, b, h);
                for (int y = 0, p = base; y < h; y++, p += row) {
                    out[p] = (byte) r[y];
                }
            }
        }
        return Pixels.like(in, out);
    }

    /** Three blur passes ping-ponging between {@code a} and {@code b}; returns the array holding the result. */
    private int[] threePasses(int[] a, int[] b, int n) {
        blurLine(a, b, n);
        blurLine(b, a, n);
        blurLine(a, b, n);
        return b;
    }

    /**
     * One pass of Pillow's {@code ImagingLineBoxBlur} over {@code n} samples: a box of {@code 2r+1}
     * samples with weight {@code ww} plus the two next samples with weight {@code fw}, edges
     * extended. Arithmetic wraps like Pillow's UINT32 and never exceeds 2^32 before the final shift.
     */
    private void blurLine(int[] in, int[] out, int n) {
        int r = boxRadius;
        int last = n - 1;
        int edgeA = Math.min(r + 1, n);
        int edgeB = Math.max(n - r - 1, 0);
        int acc = in[0] * (r + 1);
        for (int x = 0; x < edgeA - 1; x++) {
            acc += in[x];
        }
        acc += in[last] * (r - edgeA + 1);
        int first = in[0];
        int end = in[last];
        if (edgeA <= edgeB) {
            for (int x = 0; x < edgeA; x++) {
                acc += in[x + r] - first;
                out[x] = save(acc, first + in[x + r + 1]);
            }
            for (int x = edgeA; x < edgeB; x++) {
                acc += in[x + r] - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + in[x + r + 1]);
            }
            for (int x = edgeB; x <= last; x++) {
                acc += end - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + end);
            }
        } else {
            for (int x = 0; x < edgeB; x++) {
                acc += in[x + r] - first;
                out[x] = save(acc, first + in[x + r + 1]);
            }
            for (int x = edgeB; x < edgeA; x++) {
                acc += end - first;
                out[x] = save(acc, first + end);
            }
            for (int x = edgeA; x <= last; x++) {
                acc += end - in[x - r - 1];
                out[x] = save(acc, in[x - r - 1] + end);
            }
        }
    }

    private int save(int acc, int farSum) {
        int bulk = acc * ww + farSum * fw;
        return (bulk + (1 << 23)) >>> 24;
    }

    @Override
    public String toString() {
        return "GaussianBlur(" + radius + ")";
    }
}
