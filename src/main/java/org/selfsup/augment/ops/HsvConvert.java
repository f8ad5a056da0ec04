package org.selfsup.augment.ops;

/**
 * Pillow's 8-bit RGB &lt;-&gt; HSV conversions ({@code Convert.c}) for {@link Hue}, with its mix of float
 * and double arithmetic reproduced so that results match exactly.
 *
 * <p>{@link #shiftHue} is the fast round trip (RGB to HSV, H shifted, back to RGB). The hue byte depends
 * only on which channel is largest and which smallest, the chroma {@code max - min} and the distance
 * {@code max - mid}, so it is read from a table built with the reference formula; saturation and
 * hsv2rgb's {@code p} depend only on (max, chroma) and come from one table; the sector's channel order
 * is a shift table instead of a switch (photos change sector often, and a mispredicted branch costs more
 * than the arithmetic). The {@code reference*} methods transcribe Pillow's formulas directly; a test
 * checks the round trip against them on all 2^24 colours.
 */
final class HsvConvert {
    /** Hue byte at {@code [order << 16 | chroma << 8 | (max - mid)]}, order as in {@link #shiftHue}. */
    private static final byte[] HUE = new byte[6 << 16];
    /**
     * At {@code [max << 8 | chroma]}: the saturation s and, shifted by 8, hsv2rgb's {@code p} for
     * (s, v = max), which a hue shift leaves unchanged.
     */
    private static final char[] SAT_AND_P = new char[256 * 256];
    /** Fraction within the hue sector per h (float, as in Pillow). */
    private static final float[] FRAC = new float[256];
    /** {@code 1 - FRAC} per h, in double as Pillow's {@code 1.0 - f}. */
    private static final double[] ONE_MINUS_FRAC = new double[256];
    /** {@code s / 255} as float per s. */
    private static final float[] FS = new float[256];
    /**
     * Per hue byte, the bit offsets that pick R, G and B out of {@code v | p << 8 | q << 16 | t << 24}
     * for the hue's sector, packed as {@code rShift | gShift << 8 | bShift << 16}.
     */
    private static final int[] SECTOR_SHIFTS = new int[256];
    /**
     * Per comparison bits (see {@link #shiftHue}), the order index and, shifted by 8, the bit offset of
     * the middle channel in {@code r << 16 | g << 8 | b}.
     */
    private static final int[] ORDER = new int[32];

    static {
        for (int s = 0; s < 256; s++) {
            FS[s] = (float) ((float) s / 255.0);
        }
        for (int max = 1; max < 256; max++) {
            for (int cr = 1; cr <= max; cr++) {
                int s = clip8((int) (((float) cr / (float) max) * 255.0));
                int p = clip8((int) Math.round((float) max * (1.0 - FS[s])));
                SAT_AND_P[max << 8 | cr] = (char) (s | p << 8);
            }
        }
        // Representative pixels with max 255: the hue does not depend on max itself.
        for (int cr = 1; cr < 256; cr++) {
            for (int d = 0; d <= cr; d++) {
                int max = 255;
                int mid = max - d;
                int min = max - cr;
                int[][] rgb = {
                    {max, min, mid}, {max, mid, min}, {min, max, mid},
                    {mid, max, min}, {mid, min, max}, {min, mid, max},
                };
                for (int order = 0; order < 6; order++) {
                    int[] c = rgb[order];
                    HUE[order << 16 | cr << 8 | d] = (byte) (referenceRgbToHsv(c[0], c[1], c[2]) >>> 16);
                }
            }
        }
        for (int bits = 0; bits < 32; bits++) {
            boolean rGeG = (bits & 1) != 0;
            boolean rGeB = (bits & 2) != 0;
            boolean gGeB = (bits & 4) != 0;
            boolean bGeG = (bits & 8) != 0;
            boolean bGeR = (bits & 16) != 0;
            int order;
            int midShift;
            if (rGeG && rGeB) {
                order = bGeG ? 0 : 1; // g is min when g <= b
                midShift = bGeG ? 0 : 8;
            } else if (gGeB) {
                order = bGeR ? 2 : 3; // r is min when r <= b
                midShift = bGeR ? 0 : 16;
            } else {
                order = rGeG ? 4 : 5; // g is min when g <= r
                midShift = rGeG ? 16 : 8;
            }
            ORDER[bits] = order | midShift << 8;
        }
        // Shifts of v, p, q, t in the packed word.
        final int v = 0;
        final int p = 8;
        final int q = 16;
        final int t = 24;
        int[][] bySector = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
        for (int h = 0; h < 256; h++) {
            int i = (int) Math.floor((float) h * 6.0 / 255.0);
            FRAC[h] = (float) ((float) h * 6.0 / 255.0 - (float) i);
            ONE_MINUS_FRAC[h] = 1.0 - FRAC[h];
            int[] sh = bySector[i % 6];
            SECTOR_SHIFTS[h] = sh[0] | sh[1] << 8 | sh[2] << 16;
        }
    }

    private HsvConvert() {
    }

    /** 1 if {@code x >= y}, else 0, for bytes. */
    private static int ge(int x, int y) {
        return ~(x - y) >>> 31;
    }

    /**
     * Pillow's RGB -&gt; HSV, {@code H += delta} (mod 256), HSV -&gt; RGB for one pixel, returned packed
     * {@code r << 16 | g << 8 | b}.
     */
    static int shiftHue(int r, int g, int b, int delta) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        if (max == min) {
            return r << 16 | g << 8 | b; // grey: S = 0 before and after the shift
        }
        int cr = max - min;
        // Which channel is max (Pillow tests r, then g) and which is min, from five comparison bits
        // without branches (ties where two of Pillow's formulas apply give the same hue).
        int bits = ge(r, g) | ge(r, b) << 1 | ge(g, b) << 2 | ge(b, g) << 3 | ge(b, r) << 4;
        int orderAndMid = ORDER[bits];
        int mid = (r << 16 | g << 8 | b) >>> (orderAndMid >>> 8) & 0xFF;
        int h = (HUE[(orderAndMid & 0xFF) << 16 | cr << 8 | max - mid] + delta) & 0xFF;
        int sp = SAT_AND_P[max << 8 | cr];
        int s = sp & 0xFF;
        if (s == 0) {
            return max << 16 | max << 8 | max;
        }
        float fs = FS[s];
        // v * (1 - x) with x in [0, 1] lies in [0, 255]: no clipping, and adding 0.5 before truncating
        // rounds exactly as Math.round here (checked on every input).
        int q = (int) ((float) max * (1.0 - fs * FRAC[h]) + 0.5);
        int t = (int) ((float) max * (1.0 - fs * ONE_MINUS_FRAC[h]) + 0.5);
        int packed = max | (sp >>> 8) << 8 | q << 16 | t << 24;
        int shifts = SECTOR_SHIFTS[h];
        return (packed >>> (shifts & 31) & 0xFF) << 16
                | (packed >>> (shifts >>> 8 & 31) & 0xFF) << 8
                | packed >>> (shifts >>> 16) & 0xFF;
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
