package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** torchvision {@code rgb_to_grayscale(img, 3)} on PIL: {@code convert("L")} luma repeated into R, G, B. */
public final class Grayscale implements ImageOp {
    @Override
    public Image apply(Image in) {
        if (in.channels() == 1) {
            return in.toRgb();
        }
        Pixels.requireRgb(in);
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i += 3) {
            byte l = (byte) Pixels.luma(src[i] & 0xFF, src[i + 1] & 0xFF, src[i + 2] & 0xFF);
            out[i] = l;
            out[i + 1] = l;
            out[i + 2] = l;
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Grayscale";
    }
}
