package org.selfsup.augment.ops;

import org.selfsup.augment.ImageOp;
import org.selfsup.data.Image;

/** RandAugment's ShearY: PIL vertical shear, affine (1, 0, 0, s, 1, 0), NEAREST, black fill. */
public final class ShearY implements ImageOp {
    private final double shear;
    private final Affine affine;

    public ShearY(double shear) {
        this.shear = shear;
        this.affine = new Affine(1, 0, 0, shear, 1, 0);
    }

    @Override
    public Image apply(Image in) {
        return affine.apply(in);
    }

    @Override
    public String toString() {
        return "ShearY(" + shear + ")";
    }
}
