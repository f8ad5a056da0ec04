package org.selfsup.augment.ops;

/**
 * Pillow's 8-bit RGB &lt;-&gt; HSV conversions ({@code Convert.c}), with its mix of float and double
 * arithmetic reproduced so that results match exactly.
 *
 * <p>{@link #rgbToHsv} and {@link #hsvToRgb} are the fast versions used by {@link Hue}: divisions
 * and other per-channel terms come from lookup tables built with the same float/double arithmetic.
 * The {@code reference*} methods transcribe Pillow's formulas directly; a test checks that both
 * agree on all 2^24 inputs.
 */
final class HsvConvert {
    /** {@code (float) num / (float) cr} at {@code [cr << 8 | num]}. */
    private static final float[] DIV = new float[256 * 256];
    /** Saturation byte at {@code [max << 8 | cr]}. */
    private static final byte[] SAT = new byte[256 * 256];
    /** Hue sector {@code floor(h * 6 / 255)} per h. */
    private static final int[] SECTOR = new int[256];
    /** Fraction within the sector per h (float, as in Pillow). */
    private static final float[] FRAC = new float[256];
    /** {@code s / 255} as float per s. */
    private static final float[] FS = new float[256];
    /** {@code p = round(v * (1 - fs))} at {@code [s << 8 | v]}. */
    private static final byte[] P = new byte[256 * 256];

    static {
        for (int cr = 1; cr < 256; cr++) {
            for (int num = 0; num < 256; num++) {
                DIV[cr << 8 | num] = (float) num / (float) cr;
            }
        }
        for (int max = 1; max < 256; max++) {
            for (int cr = 1; cr <= max; cr++) {
                float s = (float) cr / (float) max;
                SAT[max << 8 | cr] = (byte) clip8((int) (s * 255.0));
            }
        }
        for (int h = 0; h < 256; h++) {
            int i = (int) Math.floor((float) h * 6.0 / 255.0);
            SECTOR[h] = i;
            FRAC[h] = (float) ((float) h * 6.0 / 255.0 - (float) i);
        }
        for (int s = 0; s < 256; s++) {
            FS[s] = (float) ((float) s / 255.0);
            for (int v = 0; v < 256; v++) {
                P[s << 8 | v] = (byte) clip8((int) Math.round((float) v * (1.0 - FS[s])));
            }
        }
    }

    private HsvConvert() {
    }

    /** RGB to packed {@code h << 16 | s << 8 | v}. */
    static int rgbToHsv(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        if (max == min) {
            return max;
        }
        int cr = max - min;
        int row = cr << 8;
        double h;
        if (r == max) {
            h = DIV[row | max - b] - DIV[row | max - g];
        } else if (g == max) {
            h = (float) (2.0 + DIV[row | max - r] - DIV[row | max - b]);
        } else {
            h = (float) (4.0 + DIV[row | max - g] - DIV[row | max - r]);
        }
        // fmod(x, 1.0) for x in [5/6, 2): the subtraction is exact there.
        double x = h / 6.0 + 1.0;
        float hf = (float) (x >= 1.0 ? x - 1.0 : x);
        int uh = clip8((int) (hf * 255.0));
        int us = SAT[max << 8 | cr] & 0xFF;
        return uh << 16 | us << 8 | max;
    }

    /** HSV to packed {@code r << 16 | g << 8 | b}. */
    static int hsvToRgb(int h, int s, int v) {
        if (s == 0) {
            return v << 16 | v << 8 | v;
        }
        float f = FRAC[h];
        float fs = FS[s];
        int p = P[s << 8 | v] & 0xFF;
        int q = clip8((int) Math.round((float) v * (1.0 - fs * f)));
        int t = clip8((int) Math.round((float) v * (1.0 - fs * (1.0 - f))));
        return pack(SECTOR[h], v, p, q, t);
    }

    private static int pack(int sector, int v, int p, int q, int t) {
        switch (sector % 6) {
            case 0: return v << 16 | t << 8 | p;
            case 1: return q << 16 | v << 8 | p;
            case 2: return p << 16 | v << 8 | t;
            case 3: return p << 16 | q << 8 | v;
            case 4: return t << 16 | p << 8 | v;
            default: return v << 16 | p << 8 | q;
        }
    }

    /** Pillow's {@code rgb2hsv_row} for one pixel, transcribed literally. */
    static int referenceRgbToHsv(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        if (max == min) {
            return max;
        }
        float cr = (float) (max - min);
        float s = cr / (float) max;
        float rc = (float) (max - r) / cr;
        float gc = (float) (max - g) / cr;
        float bc = (float) (max - b) / cr;
        float h;
        if (r == max) {
            h = bc - gc;
        } else if (g == max) {
            h = (float) (2.0 + rc - bc);
        } else {
            h = (float) (4.0 + gc - rc);
        }
        h = (float) ((h / 6.0 + 1.0) % 1.0);
        int uh = clip8((int) (h * 255.0));
        int us = clip8((int) (s * 255.0));
        return uh << 16 | us << 8 | max;
    }

    /** Pillow's {@code hsv2rgb} for one pixel, transcribed literally. */
    static int referenceHsvToRgb(int h, int s, int v) {
        if (s == 0) {
            return v << 16 | v << 8 | v;
        }
        int i = (int) Math.floor((float) h * 6.0 / 255.0);
        float f = (float) ((float) h * 6.0 / 255.0 - (float) i);
        float fs = (float) ((float) s / 255.0);
        int p = clip8((int) Math.round((float) v * (1.0 - fs)));
        int q = clip8((int) Math.round((float) v * (1.0 - fs * f)));
        int t = clip8((int) Math.round((float) v * (1.0 - fs * (1.0 - f))));
        return pack(i, v, p, q, t);
    }

    private static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
