package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.equalize(image)}: per-channel histogram equalisation. */
public final class Equalize implements ImageOp {
    @Override
    public Image apply(Image in) {
        return Pixels.mapByHistogram(in, Equalize::table);
    }

    private static int[] table(int[] h) {
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
        // Pillow divides by 255 here (the reference outputs confirm it), not by the bin count 256.
        long step = nonZero <= 1 ? 0 : (total - last) / 255;
        if (step == 0) {
            return Pixels.identityLut();
        }
        int[] lut = new int[256];
        long n = step / 2;
        for (int v = 0; v < 256; v++) {
            // Values past the last occupied bin can exceed 255; PIL's point() clips its table to 0..255.
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
