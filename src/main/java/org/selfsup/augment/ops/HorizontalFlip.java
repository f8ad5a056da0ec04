package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** Mirror left-right (torchvision {@code hflip}, PIL {@code FLIP_LEFT_RIGHT}). */
public final class HorizontalFlip implements ImageOp {
    @Override
    public Image apply(Image in) {
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        int row = w * c;
        for (int y = 0; y < h; y++) {
            int base = y * row;
            // Plain element copies: an arraycopy call per pixel costs more than the pixel.
            for (int x = 0, p = base, q = base + (w - 1) * c; x < w; x++, p += c, q -= c) {
                for (int k = 0; k < c; k++) {
                    out[q + k] = src[p + k];
                }
            }
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "HorizontalFlip";
    }
}
