package org.selfsup.augment.device;

import org.selfsup.augment.ops.GaussianBlur;

/**
 * Dense (size x size) matrices of Pillow's {@code GaussianBlur(radius)} along one axis.
 *
 * <p>Pillow approximates a Gaussian by three passes of a box blur with a fractional radius
 * ({@code _gaussian_blur_radius}, after Gwosdek et al.): each pass gives the {@code 2r+1} central taps
 * weight {@code ww} and the two taps at {@code ±(r+1)} the remainder {@code fw}, in 24-bit fixed point,
 * and extends edge pixels. This class builds the linear operator of the three passes (without Pillow's
 * uint8 rounding between passes), so a blur of a (C, S, S) image is {@code K @ img @ K^T}.
 */
public final class BoxBlurWeights {
    /** Number of box passes Pillow uses for GaussianBlur. */
    public static final int PASSES = GaussianBlur.PASSES;

    private BoxBlurWeights() {}

    /** The row-major (size x size) operator of Pillow's GaussianBlur(radius) along one axis. */
    public static float[] gaussian(double radius, int size) {
        float[] m = new float[size * size];
        fill(m, 0, radius, size);
        return m;
    }

    /** Writes the matrix of {@link #gaussian} into {@code dest} at {@code offset}. */
    public static void fill(float[] dest, int offset, double radius, int size) {
        float r = GaussianBlur.boxRadius((float) radius);
        int ri = (int) r;
        long ww = (long) ((float) (1 << 24) / (r * 2 + 1));
        long fw = ((1L << 24) - (ri * 2L + 1) * ww) / 2;
        double wCentre = ww / (double) (1 << 24);
        double wEdge = fw / (double) (1 << 24);
        // Apply the passes to each unit vector: column j of the operator is the blur of e_j.
        double[] a = new double[size];
        double[] b = new double[size];
        for (int j = 0; j < size; j++) {
            java.util.Arrays.fill(a, 0);
            a[j] = 1;
            for (int p = 0; p < PASSES; p++) {
                boxPass(a, b, ri, wCentre, wEdge);
                double[] t = a;
                a = b;
                b = t;
            }
            for (int i = 0; i < size; i++) {
                dest[offset + i * size + j] = (float) a[i];
            }
        }
    }

    /**
     * Writes the (size x size) matrix of ONE of Pillow's box passes for GaussianBlur(radius) into
     * {@code dest} at {@code offset}: applying it {@link #PASSES} times, rounding to uint8 after each
     * pass, reproduces Pillow's output up to float summation order.
     */
    public static void fillPass(float[] dest, int offset, double radius, int size) {
        float r = GaussianBlur.boxRadius((float) radius);
        int ri = (int) r;
        long ww = (long) ((float) (1 << 24) / (r * 2 + 1));
        long fw = ((1L << 24) - (ri * 2L + 1) * ww) / 2;
        double[] a = new double[size];
        double[] b = new double[size];
        for (int j = 0; j < size; j++) {
            java.util.Arrays.fill(a, 0);
            a[j] = 1;
            boxPass(a, b, ri, ww / (double) (1 << 24), fw / (double) (1 << 24));
            for (int i = 0; i < size; i++) {
                dest[offset + i * size + j] = (float) b[i];
            }
        }
    }

    private static void boxPass(double[] in, double[] out, int r, double wCentre, double wEdge) {
        int n = in.length;
        for (int x = 0; x < n; x++) {
            double acc = 0;
            for (int k = -r; k <= r; k++) {
                acc += in[clamp(x + k, n)];
            }
            out[x] = acc * wCentre + (in[clamp(x - r - 1, n)] + in[clamp(x + r + 1, n)]) * wEdge;
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
}
