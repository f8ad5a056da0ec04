package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * torchvision {@code resized_crop(img, top, left, height, width, size, interpolation)} on PIL images:
 * PIL {@code crop} (zero padding outside the image) followed by PIL {@code resize} with the BILINEAR
 * (default) or BICUBIC filter, two separable passes (horizontal then vertical) each rounded and
 * clipped to uint8, with Pillow's antialiasing support scaling when downscaling.
 */
public final class ResizedCrop implements ImageOp {
    private final int top;
    private final int left;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private final Resampling filter;

    /** Crop the box (top, left, height, width) and resize it to {@code size x size}, bilinear. */
    public ResizedCrop(int top, int left, int height, int width, int size) {
        this(top, left, height, width, size, size, Resampling.BILINEAR);
    }

    /** Crop the box (top, left, height, width) and resize it to {@code outHeight x outWidth}, bilinear. */
    public ResizedCrop(int top, int left, int height, int width, int outHeight, int outWidth) {
        this(top, left, height, width, outHeight, outWidth, Resampling.BILINEAR);
    }

    /** Crop the box (top, left, height, width) and resize it to {@code outHeight x outWidth} with {@code filter}. */
    public ResizedCrop(int top, int left, int height, int width, int outHeight, int outWidth, Resampling filter) {
        if (height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("crop and output sizes must be positive: " + height + "x" + width
                    + " -> " + outHeight + "x" + outWidth);
        }
        this.top = top;
        this.left = left;
        this.height = height;
        this.width = width;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.filter = java.util.Objects.requireNonNull(filter);
    }

    @Override
    public Image apply(Image in) {
        Image src = in;
        int y0 = top;
        int x0 = left;
        if (top < 0 || left < 0 || top + height > in.height() || left + width > in.width()) {
            src = crop(in, top, left, height, width);
            y0 = 0;
            x0 = 0;
        }
        return resize(src, y0, x0, height, width, outHeight, outWidth, filter);
    }

    /** PIL crop: the box may extend past the image; outside pixels are black. */
    static Image crop(Image in, int top, int left, int height, int width) {
        int c = in.channels();
        byte[] out = new byte[height * width * c];
        byte[] src = in.data();
        int xs = Math.max(0, left);
        int xe = Math.min(in.width(), left + width);
        for (int y = 0; y < height; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= in.height() || xe <= xs) {
                continue;
            }
            System.arraycopy(src, (sy * in.width() + xs) * c, out, (y * width + xs - left) * c, (xe - xs) * c);
        }
        return new Image(height, width, c, out);
    }

    /** PIL resize of the in-bounds region (y0, x0, h, w) of {@code src} to outH x outW. */
    static Image resize(Image src, int y0, int x0, int h, int w, int outH, int outW, Resampling filter) {
        int c = src.channels();
        int srcRow = src.width() * c;
        byte[] data = src.data();
        if (h == outH && w == outW) {
            byte[] out = new byte[outH * outW * c];
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (y0 + y) * srcRow + x0 * c, out, y * w * c, w * c);
            }
            return new Image(outH, outW, c, out);
        }
        ResampleCoefficients vert = h != outH ? ResampleCoefficients.of(filter, h, outH) : null;
        int rowFirst = 0;
        int rowLast = h;
        if (vert != null) {
            rowFirst = vert.first[0];
            rowLast = vert.first[outH - 1] + vert.count[outH - 1];
        }
        // Horizontal pass (skipped by Pillow when the width is unchanged), rounded to uint8 as Pillow's
        // intermediate image, into one int array per row: the vertical pass then reads all its rows at
        // the same index, which the JIT vectorises.
        int n = outW * c;
        int[][] rows = new int[rowLast - rowFirst][];
        if (w != outW) {
            horizontal(data, srcRow, y0 + rowFirst, x0, c, ResampleCoefficients.of(filter, w, outW), outW, rows);
        } else {
            for (int y = 0; y < rows.length; y++) {
                rows[y] = new int[n];
                Pixels.widenRow(data, (y0 + rowFirst + y) * srcRow + x0 * c, rows[y], n);
            }
        }
        byte[] out = new byte[outH * n];
        if (vert == null) {
            for (int y = 0; y < outH; y++) {
                Pixels.narrowRow(rows[y], 0, n, out, y * n);
            }
            return new Image(outH, outW, c, out);
        }
        int half = 1 << (ResampleCoefficients.PRECISION_BITS - 1);
        int[] wts = vert.weights;
        int[] acc = new int[n];
        for (int y = 0; y < outH; y++) {
            int ymin = vert.first[y] - rowFirst;
            int ymax = vert.count[y];
            int kb = y * vert.ksize;
            java.util.Arrays.fill(acc, half);
            // Row-wise accumulation: same sums as Pillow's per-pixel loop, in a vectorisable order.
            for (int k = 0; k < ymax; k++) {
                int wk = wts[kb + k];
                int[] row = rows[ymin + k];
                for (int i = 0; i < n; i++) {
                    acc[i] += row[i] * wk;
                }
            }
            for (int i = 0, o = y * n; i < n; i++, o++) {
                out[o] = (byte) ResampleCoefficients.clip8(acc[i]);
            }
        }
        return new Image(outH, outW, c, out);
    }

    /** Pillow's horizontal pass over {@code rows.length} source rows from {@code firstRow}, one new int array per row. */
    private static void horizontal(byte[] data, int srcRow, int firstRow, int x0, int c,
                                   ResampleCoefficients hor, int outW, int[][] rows) {
        int half = 1 << (ResampleCoefficients.PRECISION_BITS - 1);
        int[] wts = hor.weights;
        if (c == 3) {
            horizontalRgbPairs(data, srcRow, firstRow, x0, hor, outW, rows);
            return;
        }
        for (int y = 0; y < rows.length; y++) {
            int rowBase = (firstRow + y) * srcRow + x0 * c;
            int[] tmp = new int[outW * c];
            rows[y] = tmp;
            for (int x = 0; x < outW; x++) {
                int xmin = hor.first[x];
                int xmax = hor.count[x];
                int kb = x * hor.ksize;
                int o = x * c;
                for (int ch = 0; ch < c; ch++) {
                    int ss = half;
                    int p = rowBase + xmin * c + ch;
                    for (int k = 0; k < xmax; k++, p += c) {
                        ss += (data[p] & 0xFF) * wts[kb + k];
                    }
                    tmp[o + ch] = ResampleCoefficients.clip8(ss);
                }
            }
        }
    }

    /**
     * The horizontal pass for RGB, two rows at a time, with two channels per 64-bit multiply: each
     * source pixel pair is packed into three longs (r and g of the first row, b of both rows, r and g
     * of the second row; one 32-bit lane each), so a tap costs three multiplies instead of six. Lanes
     * hold Pillow's int32 sums exactly: a lane's sum fits in 32 bits with its sign (Pillow's own
     * accumulator is an int), so the low lane is the low word and the high lane what is left.
     */
    private static void horizontalRgbPairs(byte[] data, int srcRow, int firstRow, int x0,
                                           ResampleCoefficients hor, int outW, int[][] rows) {
        int half = 1 << (ResampleCoefficients.PRECISION_BITS - 1);
        long halves = (long) half << 32 | half;
        int[] wts = hor.weights;
        int w = hor.first[outW - 1] + hor.count[outW - 1];
        long[] rgA = new long[w];
        long[] bAB = new long[w];
        long[] rgB = new long[w];
        for (int y = 0; y < rows.length; y += 2) {
            int a = (firstRow + y) * srcRow + x0 * 3;
            boolean pair = y + 1 < rows.length;
            int b = pair ? a + srcRow : a;
            for (int x = 0, pa = a, pb = b; x < w; x++, pa += 3, pb += 3) {
                rgA[x] = (data[pa] & 0xFF) | (long) (data[pa + 1] & 0xFF) << 32;
                bAB[x] = (data[pa + 2] & 0xFF) | (long) (data[pb + 2] & 0xFF) << 32;
                rgB[x] = (data[pb] & 0xFF) | (long) (data[pb + 1] & 0xFF) << 32;
            }
            int[] ta = new int[outW * 3];
            int[] tb = pair ? new int[outW * 3] : ta;
            rows[y] = ta;
            if (pair) {
                rows[y + 1] = tb;
            }
            for (int x = 0; x < outW; x++) {
                int xmin = hor.first[x];
                int xmax = hor.count[x];
                int kb = x * hor.ksize;
                long s1 = halves;
                long s2 = halves;
                long s3 = halves;
                for (int k = 0; k < xmax; k++) {
                    long wk = wts[kb + k];
                    s1 += rgA[xmin + k] * wk;
                    s2 += bAB[xmin + k] * wk;
                    s3 += rgB[xmin + k] * wk;
                }
                int o = x * 3;
                int r1 = (int) s1;
                int b1 = (int) s2;
                int r2 = (int) s3;
                ta[o] = ResampleCoefficients.clip8(r1);
                ta[o + 1] = ResampleCoefficients.clip8((int) ((s1 - r1) >> 32));
                ta[o + 2] = ResampleCoefficients.clip8(b1);
                tb[o] = ResampleCoefficients.clip8(r2);
                tb[o + 1] = ResampleCoefficients.clip8((int) ((s3 - r2) >> 32));
                tb[o + 2] = ResampleCoefficients.clip8((int) ((s2 - b1) >> 32));
            }
        }
    }

    @Override
    public String toString() {
        return "ResizedCrop(top=" + top + ", left=" + left + ", " + height + "x" + width + " -> "
                + outHeight + "x" + outWidth + ")";
    }
}
