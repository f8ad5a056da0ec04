package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** RandAugment's TranslateX: PIL horizontal translation by absolute pixels, affine (1, 0, p, 0, 1, 0); output x samples input x + p, NEAREST, black fill. */
public final class TranslateX implements ImageOp {
    private final double pixels;
    private final Affine affine;

    public TranslateX(double pixels) {
        this.pixels = pixels;
        this.affine = new Affine(1, 0, pixels, 0, 1, 0);
    }

    @Override
    public Image apply(Image in) {
        return affine.apply(in);
    }

    @Override
    public String toString() {
        return "TranslateX(" + pixels + ")";
    }
}
