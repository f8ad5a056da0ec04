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
    private final long ww;
    private final long fw;

    /** @param radius the Gaussian's standard deviation in pixels (>= 0) */
    public GaussianBlur(double radius) {
        if (!(radius >= 0)) {
            throw new IllegalArgumentException("blur radius must be >= 0: " + radius);
        }
        this.radius = radius;
        float box = boxRadius((float) radius);
        this.boxRadius = (int) box;
        this.ww = (long) (16777216f / (box * 2f + 1f));
        this.fw = ((1L << 24) - (boxRadius * 2L + 1) * ww) / 2;
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
        int[] img = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            img[i] = src[i] & 0xFF;
        }
        int maxLen = Math.max(h, w);
        int[] line = new int[maxLen * c];
        int[] lineOut = new int[maxLen * c];
        int row = w * c;
        for (int y = 0; y < h; y++) {
            System.arraycopy(img, y * row, line, 0, row);
            for (int p = 0; p < PASSES; p++) {
                blurLine(line, lineOut, w, c);
                int[] t = line;
                line = lineOut;
                lineOut = t;
            }
            System.arraycopy(line, 0, img, y * row, row);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(img, y * row + x * c, line, y * c, c);
            }
            for (int p = 0; p < PASSES; p++) {
                blurLine(line, lineOut, h, c);
                int[] t = line;
                line = lineOut;
                lineOut = t;
            }
            for (int y = 0; y < h; y++) {
                System.arraycopy(line, y * c, img, y * row + x * c, c);
            }
        }
        byte[] out = new byte[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) img[i];
        }
        return Pixels.like(in, out);
    }

    /**
     * One pass of Pillow's {@code ImagingLineBoxBlur}: a box of {@code 2r+1} samples with weight
     * {@code ww} plus the two next samples with weight {@code fw}, edges extended.
     */
    private void blurLine(int[] in, int[] out, int n, int c) {
        int r = boxRadius;
        int last = n - 1;
        int edgeA = Math.min(r + 1, n);
        int edgeB = Math.max(n - r - 1, 0);
        for (int ch = 0; ch < c; ch++) {
            long acc = (long) in[ch] * (r + 1);
            for (int x = 0; x < edgeA - 1; x++) {
                acc += in[x * c + ch];
            }
            acc += (long) in[last * c + ch] * (r - edgeA + 1);
            if (edgeA <= edgeB) {
                for (int x = 0; x < edgeA; x++) {
                    acc += in[(x + r) * c + ch] - in[ch];
                    out[x * c + ch] = save(acc, in[ch] + in[(x + r + 1) * c + ch]);
                }
                for (int x = edgeA; x < edgeB; x++) {
                    acc += in[(x + r) * c + ch] - in[(x - r - 1) * c + ch];
                    out[x * c + ch] = save(acc, in[(x - r - 1) * c + ch] + in[(x + r + 1) * c + ch]);
                }
                for (int x = edgeB; x <= last; x++) {
                    acc += in[last * c + ch] - in[(x - r - 1) * c + ch];
                    out[x * c + ch] = save(acc, in[(x - r - 1) * c + ch] + in[last * c + ch]);
                }
            } else {
                for (int x = 0; x < edgeB; x++) {
                    acc += in[(x + r) * c + ch] - in[ch];
                    out[x * c + ch] = save(acc, in[ch] + in[(x + r + 1) * c + ch]);
                }
                for (int x = edgeB; x < edgeA; x++) {
                    acc += in[last * c + ch] - in[ch];
                    out[x * c + ch] = save(acc, in[ch] + in[last * c + ch]);
                }
                for (int x = edgeA; x <= last; x++) {
                    acc += in[last * c + ch] - in[(x - r - 1) * c + ch];
                    out[x * c + ch] = save(acc, in[(x - r - 1) * c + ch] + in[last * c + ch]);
                }
            }
        }
    }

    private int save(long acc, int farSum) {
        long bulk = acc * ww + farSum * fw;
        return (int) ((bulk + (1L << 23)) >> 24);
    }

    @Override
    public String toString() {
        return "GaussianBlur(" + radius + ")";
    }
}
