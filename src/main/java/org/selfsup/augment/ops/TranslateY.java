package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** RandAugment's TranslateY: PIL vertical translation by absolute pixels, affine (1, 0, 0, 0, 1, p); output y samples input y + p, NEAREST, black fill. */
public final class TranslateY implements ImageOp {
    private final double pixels;
    private final Affine affine;

    public TranslateY(double pixels) {
        this.pixels = pixels;
        this.affine = new Affine(1, 0, 0, 0, 1, pixels);
    }

    @Override
    public Image apply(Image in) {
        return affine.apply(in);
    }

    @Override
    public String toString() {
        return "TranslateY(" + pixels + ")";
    }
}
