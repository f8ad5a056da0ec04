package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * Pillow {@code ImageFilter.GaussianBlur(radius)}: three passes of an extended box blur per axis
 * ({@code BoxBlur.c}), first along rows, then along columns, each pass rounded to uint8. The box
 * radius comes from Gwosdek et al.'s formula in single precision, as in Pillow.
 */
public final class GaussianBlur implements ImageOp {
    /** Number of box passes Pillow uses per axis. */
    public static final int PASSES = 3;
    private final double radius;
    private final int boxRadius;
    private final int ww;
    private final int fw;

    /** @param radius the Gaussian's standard deviation in pixels (finite, >= 0) */
    public GaussianBlur(double radius) {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("blur radius must be finite and >= 0: " + radius);
        }
        this.radius = radius;
        float box = boxRadius((float) radius);
        this.boxRadius = (int) box;
        this.ww = (int) (long) (16777216f / (box * 2f + 1f));
        this.fw = (int) (((1L << 24) - (boxRadius * 2L + 1) * ww) / 2);
    }

    /**
     * Pillow's {@code _gaussian_blur_radius} (in C float): the fractional box radius for {@link #PASSES} passes;
     * the one copy, also for the device path's blur matrices.
     */
    public static float boxRadius(float radius) {
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
        // Pillow blurs rows, then columns, three passes each, each rounded to uint8. The JIT vectorises
        // a loop only when it reads and writes its arrays at one common index (not at shifted offsets
        // of one array), so: a row pass is a stencil over copies of the row shifted by whole pixels,
        // and the column passes run over the picture held as one array per row.
        int wc = w * c;
        int[][] rows = new int[h][wc];
        RowScratch scratch = new RowScratch(wc);
        for (int y = 0; y < h; y++) {
            int[] row = rows[y];
            Pixels.widenRow(src, y * wc, row, wc);
            rowPass(row, scratch.line, w, c, scratch);
            rowPass(scratch.line, row, w, c, scratch);
            rowPass(row, scratch.line, w, c, scratch);
            System.arraycopy(scratch.line, 0, row, 0, wc);
        }
        int[][] done = threePasses(rows, new int[h][wc], scratch.acc);
        for (int y = 0; y < h; y++) {
            Pixels.narrowRow(done[y], 0, wc, out, y * wc);
        }
        return Pixels.like(in, out);
    }

    /** Per-call buffers of one row's length. */
    private static final class RowScratch {
        final int[] line;
        final int[] acc;
        final int[] shifted;
        final int[] before;
        final int[] after;

        RowScratch(int n) {
            line = new int[n];
            acc = new int[n];
            shifted = new int[n];
            before = new int[n];
            after = new int[n];
        }
    }

    /**
     * One pass along a row of {@code w} pixels of {@code c} interleaved channels: the same arithmetic
     * as {@link #pass}, with the box summed from copies of the row shifted by -r..r pixels.
     */
    private void rowPass(int[] in, int[] out, int w, int c, RowScratch s) {
        int r = boxRadius;
        int n = w * c;
        int[] acc = s.acc;
        System.arraycopy(in, 0, acc, 0, n);
        for (int k = 1; k <= r; k++) {
            shift(in, s.shifted, w, c, k);
            for (int i = 0; i < n; i++) {
                acc[i] += s.shifted[i];
            }
            shift(in, s.shifted, w, c, -k);
            for (int i = 0; i < n; i++) {
                acc[i] += s.shifted[i];
            }
        }
        int[] before = s.before;
        int[] after = s.after;
        shift(in, before, w, c, -r - 1);
        shift(in, after, w, c, r + 1);
        int ww = this.ww;
        int fw = this.fw;
        int half = 1 << 23;
        for (int i = 0; i < n; i++) {
            out[i] = (acc[i] * ww + (before[i] + after[i]) * fw + half) >>> 24;
        }
    }

    /** {@code dst} = the row shifted so that pixel x holds pixel clamp(x + k) of {@code src}. */
    private static void shift(int[] src, int[] dst, int w, int c, int k) {
        int n = w * c;
        int m = Math.min(Math.abs(k), w - 1); // pixels taken from the edge
        if (k > 0) {
            System.arraycopy(src, m * c, dst, 0, n - m * c);
            for (int x = w - m; x < w; x++) {
                System.arraycopy(src, n - c, dst, x * c, c);
            }
        } else if (k < 0) {
            System.arraycopy(src, 0, dst, m * c, n - m * c);
            for (int x = 0; x < m; x++) {
                System.arraycopy(src, 0, dst, x * c, c);
            }
        } else {
            System.arraycopy(src, 0, dst, 0, n);
        }
    }

    /** Three passes ping-ponging between {@code a} and {@code b} (same shape); returns the one holding the result. */
    private int[][] threePasses(int[][] a, int[][] b, int[] acc) {
        pass(a, b, acc);
        pass(b, a, acc);
        pass(a, b, acc);
        return b;
    }

    /**
     * One pass of Pillow's {@code ImagingLineBoxBlur} down every column of a matrix (rows as arrays):
     * a running box of {@code 2r+1} samples with weight {@code ww} plus the two next samples with
     * weight {@code fw}, rows clamped to the matrix (Pillow's edge extension). Arithmetic wraps like
     * Pillow's UINT32 and never exceeds 2^32 before the final shift.
     */
    private void pass(int[][] in, int[][] out, int[] acc) {
        int r = boxRadius;
        int ww = this.ww;
        int fw = this.fw;
        int half = 1 << 23;
        int rows = in.length;
        int n = in[0].length;
        int last = rows - 1;
        // acc = the window before row 0: rows clamp(k) for k in [-r-1, r-1].
        int[] first = in[0];
        for (int i = 0; i < n; i++) {
            acc[i] = first[i] * (r + 1);
        }
        for (int k = 0; k < r; k++) {
            int[] row = in[Math.min(k, last)];
            for (int i = 0; i < n; i++) {
                acc[i] += row[i];
            }
        }
        for (int y = 0; y < rows; y++) {
            int[] add = in[Math.min(y + r, last)];
            int[] sub = in[Math.max(y - r - 1, 0)];
            int[] far = in[Math.min(y + r + 1, last)];
            int[] o = out[y];
            for (int i = 0; i < n; i++) {
                int leaving = sub[i];
                int v = acc[i] + add[i] - leaving;
                acc[i] = v;
                o[i] = (v * ww + (leaving + far[i]) * fw + half) >>> 24;
            }
        }
    }

    @Override
    public String toString() {
        return "GaussianBlur(" + radius + ")";
    }
}
