package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.solarize(threshold)}: values {@code >= threshold} become {@code 255 - v}. */
public final class Solarize implements ImageOp {
    private final double threshold;
    private final int[] lut;

    public Solarize(double threshold) {
        this.threshold = threshold;
        this.lut = table(threshold);
    }

    static int[] table(double threshold) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = v < threshold ? v : 255 - v;
        }
        return lut;
    }

    @Override
    public Image apply(Image in) {
        return Pixels.applyLut(in, lut);
    }

    @Override
    public String toString() {
        return "Solarize(" + threshold + ")";
    }
}
