package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.equalize(image)}: per-channel histogram equalisation. */
public final class Equalize implements ImageOp {
    @Override
    public Image apply(Image in) {
        int[][] hist = Pixels.histograms(in);
        int[][] luts = new int[hist.length][];
        for (int c = 0; c < hist.length; c++) {
            luts[c] = table(hist[c]);
        }
        return Pixels.applyLuts(in, luts);
    }

    private static int[] table(int[] h) {
        int[] lut = new int[256];
        int nonZero = 0;
        long total = 0;
        int last = 0;
        for (int v = 0; v < 256; v++) {
            if (h[v] != 0) {
                nonZero++;
                total += h[v];
                last = h[v];
            }
        }
        long step = nonZero <= 1 ? 0 : (total - last) / 256;
        if (step == 0) {
            for (int v = 0; v < 256; v++) {
                lut[v] = v;
            }
            return lut;
        }
        long n = step / 2;
        for (int v = 0; v < 256; v++) {
            // PIL does not clip; n / step never exceeds 255 because n <= step/2 + total - last.
            lut[v] = (int) Math.min(255, n / step);
            n += h[v];
        }
        return lut;
    }

    @Override
    public String toString() {
        return "Equalize";
    }
}
