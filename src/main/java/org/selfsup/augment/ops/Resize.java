package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * torchvision {@code Resize(size)} with an int size on PIL images: the shorter side becomes {@code size},
 * the longer {@code int(size * long / short)}, bilinear with PIL's antialiasing (as {@link ResizedCrop}
 * over the whole image).
 */
public record Resize(int size) implements ImageOp {
    public Resize {
        if (size <= 0) {
            throw new IllegalArgumentException("resize size must be positive: " + size);
        }
    }

    @Override
    public Image apply(Image in) {
        int h = in.height();
        int w = in.width();
        int oh = h <= w ? size : (int) ((long) size * h / w);
        int ow = w <= h ? size : (int) ((long) size * w / h);
        if (oh == h && ow == w) {
            return in;
        }
        return new ResizedCrop(0, 0, h, w, oh, ow).apply(in);
    }
}
