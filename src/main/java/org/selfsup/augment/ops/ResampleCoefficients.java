package org.selfsup.augment.ops;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Pillow's precomputed resampling coefficients ({@code Resample.c}, {@code precompute_coeffs} and
 * {@code normalize_coeffs_8bpc}) for the BILINEAR (triangle, support 1) or BICUBIC (Keys cubic with
 * a = -0.5, support 2) filter along one axis, including the support scaling that antialiases when
 * downscaling. Coefficients are 22-bit fixed point; bicubic weights can be negative, so a pass may
 * overshoot and is clipped to 0..255 as in Pillow.
 *
 * <p>Instances are immutable and cached per (filter, input size, output size), so random crops reuse
 * them.
 */
final class ResampleCoefficients {
    /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
    static final int PRECISION_BITS = 22;
    private static final ConcurrentHashMap<Long, ResampleCoefficients> CACHE = new ConcurrentHashMap<>();

    /** Taps per output sample (some trailing taps may be zero). */
    final int ksize;
    /** Fixed-point weights, {@code ksize} per output sample. */
    final int[] weights;
    /** First input index per output sample. */
    final int[] first;
    /** Number of input samples used per output sample. */
    final int[] count;

    private ResampleCoefficients(Resampling filter, int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support() * filterScale;
        ksize = (int) Math.ceil(support) * 2 + 1;
        weights = new int[outSize * ksize];
        first = new int[outSize];
        count = new int[outSize];
        double[] k = new double[ksize];
        double ss = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++) {
                double w = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                weights[xx * ksize + x] = w < 0
                        ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                        : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
    }

    /** The (cached) coefficients for resizing {@code inSize} samples to {@code outSize} with {@code filter}. */
    static ResampleCoefficients of(Resampling filter, int inSize, int outSize) {
        long key = ((long) filter.ordinal() << 62) | ((long) inSize << 31) | outSize;
        return CACHE.computeIfAbsent(key, k -> new ResampleCoefficients(filter, inSize, outSize));
    }

    /** Pillow's {@code clip8}: fixed-point accumulator to 0..255. */
    static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
