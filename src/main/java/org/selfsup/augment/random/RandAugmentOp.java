package org.selfsup.augment.random;

/**
 * The 16 operations of DSSL's RandAugment variant ({@code augmentations/rand_aug_custom.py}, from
 * ildoonet/pytorch-randaugment), in the order of its {@code augment_list()}, with their magnitude
 * range {@code (min, max)} and whether the magnitude gets a random sign.
 */
public enum RandAugmentOp {
    AUTO_CONTRAST(0, 1, false),
    EQUALIZE(0, 1, false),
    INVERT(0, 1, false),
    ROTATE(0, 30, true),
    POSTERIZE(0, 4, false),
    SOLARIZE(0, 256, false),
    SOLARIZE_ADD(0, 110, false),
    COLOR(0.1, 1.9, false),
    CONTRAST(0.1, 1.9, false),
    BRIGHTNESS(0.1, 1.9, false),
    SHARPNESS(0.1, 1.9, false),
    SHEAR_X(0, 0.3, true),
    SHEAR_Y(0, 0.3, true),
    CUTOUT_ABS(0, 40, false),
    TRANSLATE_X_ABS(0, 100, true),
    TRANSLATE_Y_ABS(0, 100, true);

    private final double min;
    private final double max;
    private final boolean signed;

    RandAugmentOp(double min, double max, boolean signed) {
        this.min = min;
        this.max = max;
        this.signed = signed;
    }

    public double min() { return min; }
    public double max() { return max; }

    /** True when the op flips the sign of its magnitude with probability 0.5. */
    public boolean signed() { return signed; }

    /** The magnitude at {@code m} on the 0–30 scale: {@code (m / 30) * (max - min) + min}, as in Python. */
    public double magnitude(int m) {
        return (m / 30.0) * (max - min) + min;
    }

    /** True for the ops whose magnitude is in pixels (translations and cutout). */
    public boolean inPixels() {
        return this == CUTOUT_ABS || this == TRANSLATE_X_ABS || this == TRANSLATE_Y_ABS;
    }
}
