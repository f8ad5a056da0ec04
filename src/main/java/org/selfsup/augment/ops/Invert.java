package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.invert}: 255 - v. */
public final class Invert implements ImageOp {
    @Override
    public Image apply(Image in) {
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) ~src[i];
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Invert";
    }
}
