package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * RandAugment's SolarizeAdd: add {@code addition} with clipping to [0, 255], then
 * {@code ImageOps.solarize(threshold)}. A fractional addition in the reference is truncated by its
 * {@code astype(uint8)}, so callers pass the integer part.
 */
public final class SolarizeAdd implements ImageOp {
    private final int addition;
    private final double threshold;
    private final int[] lut;

    public SolarizeAdd(int addition, double threshold) {
        this.addition = addition;
        this.threshold = threshold;
        int[] solarize = Solarize.table(threshold);
        lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = solarize[Math.max(0, Math.min(255, v + addition))];
        }
    }

    @Override
    public Image apply(Image in) {
        return Pixels.applyLut(in, lut);
    }

    @Override
    public String toString() {
        return "SolarizeAdd(" + addition + ", " + threshold + ")";
    }
}
