package org.selfsup.augment.ops;

import java.util.Objects;
import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * torchvision {@code Resize(size, interpolation)} with one int size on PIL images: the shorter side
 * becomes {@code size}, the longer one {@code int(size * long / short)} (aspect kept, truncated as
 * torchvision 0.14 does), then PIL {@code resize} with the filter. An image whose shorter side is
 * already {@code size} is returned unchanged.
 *
 * @param size   target length of the shorter side
 * @param filter PIL resampling filter (torchvision's default is bilinear; DSSL's CIFAR test transform
 *               is bicubic)
 */
public record Resize(int size, Resampling filter) implements ImageOp {
    /** Bilinear, torchvision's default. */
    public Resize(int size) {
        this(size, Resampling.BILINEAR);
    }

    public Resize {
        if (size <= 0) {
            throw new IllegalArgumentException("resize size must be positive: " + size);
        }
        Objects.requireNonNull(filter);
    }

    @Override
    public Image apply(Image in) {
        int h = in.height();
        int w = in.width();
        int shorter = Math.min(h, w);
        if (shorter == size) {
            return in;
        }
        int longer = (int) ((long) size * Math.max(h, w) / shorter);
        int outH = w <= h ? longer : size;
        int outW = w <= h ? size : longer;
        return new ResizedCrop(0, 0, h, w, outH, outW, filter).apply(in);
    }
}
