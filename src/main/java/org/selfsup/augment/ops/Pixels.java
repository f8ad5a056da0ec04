package org.selfsup.augment.ops;

import org.selfsup.data.Image;

/** Shared low-level helpers on HWC byte arrays (package-private). */
final class Pixels {
    private Pixels() {
    }

    /** A new image of the same shape as {@code in} with the given data. */
    static Image like(Image in, byte[] data) {
        return new Image(in.height(), in.width(), in.channels(), data);
    }

    /** {@code row[0..n)} = the unsigned values {@code src[from..from+n)}: a picture row as ints. */
    static void widenRow(byte[] src, int from, int[] row, int n) {
        for (int i = 0, p = from; i < n; i++, p++) {
            row[i] = src[p] & 0xFF;
        }
    }

    /** {@code out[at..at+(to-from))} = the low bytes of {@code row[from..to)} (values already in 0..255). */
    static void narrowRow(int[] row, int from, int to, byte[] out, int at) {
        for (int i = from, o = at; i < to; i++, o++) {
            out[o] = (byte) row[i];
        }
    }

    /** Applies one 256-entry lookup table to every value. */
    static Image applyLut(Image in, int[] lut) {
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) lut[src[i] & 0xFF];
        }
        return like(in, out);
    }

    /** Applies a per-channel lookup table ({@code luts[c]} has 256 entries). */
    static Image applyLuts(Image in, int[][] luts) {
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        int c = in.channels();
        for (int i = 0; i < src.length; i += c) {
            for (int k = 0; k < c; k++) {
                out[i + k] = (byte) luts[k][src[i + k] & 0xFF];
            }
        }
        return like(in, out);
    }

    /**
     * Each channel through the 256-entry table that {@code table} makes from the channel's histogram (PIL's
     * per-band {@code point()} after {@code histogram()}): AutoContrast and Equalize.
     */
    static Image mapByHistogram(Image in, java.util.function.Function<int[], int[]> table) {
        int[][] hist = histograms(in);
        int[][] luts = new int[hist.length][];
        for (int c = 0; c < hist.length; c++) {
            luts[c] = table.apply(hist[c]);
        }
        return applyLuts(in, luts);
    }

    /** The 256-entry table that maps every value to itself. */
    static int[] identityLut() {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = v;
        }
        return lut;
    }

    /** Per-channel 256-bin histograms, as PIL's {@code Image.histogram()}. */
    static int[][] histograms(Image in) {
        int c = in.channels();
        int[][] h = new int[c][256];
        byte[] src = in.data();
        for (int i = 0; i < src.length; i += c) {
            for (int k = 0; k < c; k++) {
                h[k][src[i + k] & 0xFF]++;
            }
        }
        return h;
    }

    /** PIL's ITU-R 601-2 luma ({@code convert("L")}): (19595 r + 38470 g + 7471 b + 2^15) >> 16. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** Sum of PIL's luma over all pixels (of the values themselves for a 1-channel image). */
    static long lumaSum(Image in) {
        byte[] src = in.data();
        long sum = 0;
        if (in.channels() == 1) {
            for (byte v : src) {
                sum += v & 0xFF;
            }
            return sum;
        }
        requireRgb(in);
        for (int i = 0; i < src.length; i += 3) {
            sum += luma(src[i] & 0xFF, src[i + 1] & 0xFF, src[i + 2] & 0xFF);
        }
        return sum;
    }

    static void requireRgb(Image in) {
        if (in.channels() != 3) {
            throw new IllegalArgumentException("expected an RGB image, got " + in);
        }
    }

    /**
     * One value of PIL's {@code Image.blend(im1, im2, alpha)} for 8-bit images: computed in single
     * precision as {@code im1 + alpha * (im2 - im1)}, truncated, and clipped only when extrapolating.
     */
    static int blend(int v1, int v2, float alpha) {
        float t = v1 + alpha * (float) (v2 - v1);
        if (alpha >= 0f && alpha <= 1f) {
            return (int) t;
        }
        if (t <= 0f) {
            return 0;
        }
        if (t >= 255f) {
            return 255;
        }
        return (int) t;
    }

    /** The table {@code v -> blend(constant, v, alpha)} for a constant degenerate image. */
    static int[] blendLut(int constant, float alpha) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = blend(constant, v, alpha);
        }
        return lut;
    }
}
