package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** PIL {@code ImageOps.posterize(bits)}: keeps the {@code bits} most significant bits of each value. */
public final class Posterize implements ImageOp {
    private final int bits;
    private final int mask;

    /** @param bits bits to keep, 0..8 */
    public Posterize(int bits) {
        if (bits < 0 || bits > 8) {
            throw new IllegalArgumentException("posterize bits must be in 0..8: " + bits);
        }
        this.bits = bits;
        this.mask = ~((1 << (8 - bits)) - 1);
    }

    @Override
    public Image apply(Image in) {
        byte[] src = in.data();
        byte[] out = new byte[src.length];
        byte m = (byte) mask;
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) (src[i] & m);
        }
        return Pixels.like(in, out);
    }

    @Override
    public String toString() {
        return "Posterize(" + bits + ")";
    }
}
