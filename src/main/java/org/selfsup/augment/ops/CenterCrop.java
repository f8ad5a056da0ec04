package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/**
 * torchvision {@code CenterCrop(size)} on an image at least {@code size} pixels on each side:
 * top = round((H - size) / 2), left = round((W - size) / 2) (Python rounds halves to even).
 */
public record CenterCrop(int size) implements ImageOp {
    public CenterCrop {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size must be positive: " + size);
        }
    }

    @Override
    public Image apply(Image in) {
        if (in.height() == size && in.width() == size) {
            return in;
        }
        if (in.height() < size || in.width() < size) {
            throw new IllegalArgumentException("cannot centre-crop " + size + "x" + size + " from " + in);
        }
        int top = (int) Math.rint((in.height() - size) / 2.0);
        int left = (int) Math.rint((in.width() - size) / 2.0);
        int c = in.channels();
        byte[] out = new byte[size * size * c];
        for (int y = 0; y < size; y++) {
            System.arraycopy(in.data(), ((top + y) * in.width() + left) * c, out, y * size * c, size * c);
        }
        return new Image(size, size, c, out);
    }
}
