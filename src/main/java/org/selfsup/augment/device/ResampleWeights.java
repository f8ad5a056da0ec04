package org.selfsup.augment.device;

/**
 * Dense resampling matrices with Pillow's BILINEAR semantics, for crop-and-resize as a matrix product.
 *
 * <p>Row {@code o} of the (outSize x inSize) matrix holds the weights Pillow's {@code precompute_coeffs}
 * gives output pixel {@code o}: a triangle filter centred at {@code in0 + (o + 0.5) * scale}, its support
 * widened by the downscale factor when shrinking (Pillow's antialiasing), each row normalised to sum 1
 * and then rounded to Pillow's 22-bit fixed-point coefficients, so the float weights are the ones the
 * uint8 CPU path uses. A crop of rows {@code [top, top + h)} resized to {@code S} is then
 * {@code Wy @ img} with {@code Wy = crop(H, top, h, S)}.
 */
public final class ResampleWeights {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private ResampleWeights() {}

    /**
     * The (outSize x inSize) row-major matrix resampling source positions {@code [start, start + length)}
     * of an axis of {@code inSize} pixels to {@code outSize} pixels.
     *
     * @param flip reverse the output order (a horizontal flip after the resize)
     */
    public static float[] crop(int inSize, int start, int length, int outSize, boolean flip) {
        float[] m = new float[outSize * inSize];
        fill(m, 0, inSize, start, length, outSize, flip);
        return m;
    }

    /**
     * Writes the matrix of {@link #crop} into {@code dest} at {@code offset} (dest is assumed zeroed there).
     */
    public static void fill(float[] dest, int offset, int inSize, int start, int length, int outSize, boolean flip) {
        if (length <= 0 || start < 0 || start + length > inSize) {
            throw new IllegalArgumentException("crop [" + start + ", " + (start + length) + ") outside 0.." + inSize);
        }
        double scale = (double) length / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // bilinear filter support is 1
        double[] w = new double[(int) Math.ceil(support) * 2 + 1];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale; // relative to the crop, as Pillow sees the cropped image
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), length);
            double total = 0;
            for (int x = xmin; x < xmax; x++) {
                double t = Math.abs((x - center + 0.5) / filterScale);
                double v = t < 1 ? 1 - t : 0;
                w[x - xmin] = v;
                total += v;
            }
            int row = offset + (flip ? outSize - 1 - o : o) * inSize;
            for (int x = xmin; x < xmax; x++) {
                double v = total != 0 ? w[x - xmin] / total : 0;
                // Pillow's 8-bit path rounds each coefficient to 22-bit fixed point.
                long fixed = (long) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
                dest[row + start + x] = (float) ((double) fixed / (1 << PRECISION_BITS));
            }
        }
    }
}
