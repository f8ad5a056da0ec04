package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** RandAugment's ShearX: PIL horizontal shear, affine (1, s, 0, 0, 1, 0), NEAREST, black fill. */
public final class ShearX implements ImageOp {
    private final double shear;
    private final Affine affine;

    public ShearX(double shear) {
        this.shear = shear;
        this.affine = new Affine(1, shear, 0, 0, 1, 0);
    }

    @Override
    public Image apply(Image in) {
        return affine.apply(in);
    }

    @Override
    public String toString() {
        return "ShearX(" + shear + ")";
    }
}
