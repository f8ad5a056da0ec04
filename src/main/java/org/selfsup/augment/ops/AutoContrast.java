package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.autocontrast(image)} with cutoff 0: stretches each channel's [min, max] to [0, 255]. */
public final class AutoContrast implements ImageOp {
    @Override
    public Image apply(Image in) {
        return Pixels.mapByHistogram(in, AutoContrast::table);
    }

    private static int[] table(int[] h) {
        int lo = 0;
        while (lo < 255 && h[lo] == 0) {
            lo++;
        }
        int hi = 255;
        while (hi > 0 && h[hi] == 0) {
            hi--;
        }
        if (hi <= lo) {
            return Pixels.identityLut();
        }
        int[] lut = new int[256];
        double scale = 255.0 / (hi - lo);
        double offset = -lo * scale;
        for (int v = 0; v < 256; v++) {
            int ix = (int) (v * scale + offset);
            lut[v] = Math.max(0, Math.min(255, ix));
        }
        return lut;
    }

    @Override
    public String toString() {
        return "AutoContrast";
    }
}
