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
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, base + x * c, out, base + (w - 1 - x) * c, c);
            }
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "HorizontalFlip";
    }
}
