package org.selfsup.augment.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup.augment.ImageOp;
import org.selfsup.augment.RandomTransform;
import org.selfsup.augment.ops.AutoContrast;
import org.selfsup.augment.ops.Brightness;
import org.selfsup.augment.ops.Contrast;
import org.selfsup.augment.ops.Cutout;
import org.selfsup.augment.ops.Equalize;
import org.selfsup.augment.ops.Invert;
import org.selfsup.augment.ops.Posterize;
import org.selfsup.augment.ops.Rotate;
import org.selfsup.augment.ops.Saturation;
import org.selfsup.augment.ops.Sharpness;
import org.selfsup.augment.ops.ShearX;
import org.selfsup.augment.ops.ShearY;
import org.selfsup.augment.ops.Solarize;
import org.selfsup.augment.ops.SolarizeAdd;
import org.selfsup.augment.ops.TranslateX;
import org.selfsup.augment.ops.TranslateY;
import org.selfsup.data.Image;

/**
 * DSSL's RandAugment(N, M) ({@code rand_aug_custom.py}): N ops drawn <b>with replacement</b> from the
 * 16 {@link RandAugmentOp}s, each applied with probability 1 at the fixed magnitude
 * {@code v = M/30 * (max - min) + min} (M on the 0–30 scale).
 *
 * <p>Details reproduced from the Python code: Rotate, ShearX/Y and TranslateX/Y flip the sign of v
 * with probability 0.5 ({@code random.random() > 0.5}); Posterize keeps {@code max(1, int(v))} bits;
 * SolarizeAdd adds v to the integer pixels, clips and truncates to uint8 (= adding {@code floor(v)}),
 * then solarizes at 128; Color is PIL {@code ImageEnhance.Color} (= {@link Saturation}); the enhance
 * ops have no random sign. CutoutAbs draws its centre with {@code np.random.uniform(w)}, whose single
 * positional argument is numpy's <em>low</em> bound, so the centre is uniform in {@code [1, W]} (and
 * {@code [1, H]}), not {@code [0, W)}: we reproduce that.
 *
 * <p>Magnitudes in pixels (TranslateXabs/YAbs, CutoutAbs) are absolute by default, as in DSSL: 30 px
 * at M=9, which moves most of a 32x32 image out of the frame. With {@code relative = true} they are
 * scaled by {@code side / 224} ({@value #REFERENCE_SIZE}, the ImageNet view size at which DSSL applies
 * these values), so a view of any size is translated by the same fraction as a 224x224 ImageNet view
 * (13.4% at M=9: 4.3 px on 32x32).
 *
 * <p>Random draws: N op choices first ({@code random.choices}), then per chosen op its sign (signed
 * ops) or cutout centre (x then y).
 */
public final class RandAugment implements RandomTransform {
    /** Side length at which DSSL's pixel magnitudes are taken as designed, for relative magnitudes. */
    public static final int REFERENCE_SIZE = 224;
    private static final RandAugmentOp[] OPS = RandAugmentOp.values();

    private final int n;
    private final int m;
    private final boolean relative;

    /** DSSL's RandAugment with absolute pixel magnitudes. */
    public RandAugment(int n, int m) {
        this(n, m, false);
    }

    public RandAugment(int n, int m, boolean relative) {
        if (n < 0) {
            throw new IllegalArgumentException("RandAugment N must be >= 0: " + n);
        }
        if (m < 0 || m > 30) {
            throw new IllegalArgumentException("RandAugment M must be in [0, 30]: " + m);
        }
        this.n = n;
        this.m = m;
        this.relative = relative;
    }

    public int n() { return n; }
    public int m() { return m; }
    public boolean relative() { return relative; }

    /**
     * One sampled op with its final parameters.
     *
     * @param value   the signed magnitude (pixels already scaled when relative)
     * @param centerX cutout centre x (NaN for other ops)
     * @param centerY cutout centre y (NaN for other ops)
     */
    public record Sampled(RandAugmentOp op, double value, double centerX, double centerY) {
        /** The deterministic op with these parameters. */
        public ImageOp toOp() {
            return switch (op) {
                case AUTO_CONTRAST -> new AutoContrast();
                case EQUALIZE -> new Equalize();
                case INVERT -> new Invert();
                case ROTATE -> new Rotate(value);
                case POSTERIZE -> new Posterize(Math.max(1, (int) value));
                case SOLARIZE -> new Solarize(value);
                case SOLARIZE_ADD -> new SolarizeAdd((int) Math.floor(value), 128);
                case COLOR -> new Saturation(value);
                case CONTRAST -> new Contrast(value);
                case BRIGHTNESS -> new Brightness(value);
                case SHARPNESS -> new Sharpness(value);
                case SHEAR_X -> new ShearX(value);
                case SHEAR_Y -> new ShearY(value);
                case CUTOUT_ABS -> new Cutout(centerX, centerY, value);
                case TRANSLATE_X_ABS -> new TranslateX(value);
                case TRANSLATE_Y_ABS -> new TranslateY(value);
            };
        }
    }

    /** Samples the N ops for an image of {@code height x width}. */
    public List<Sampled> sample(int height, int width, SplittableRandom rng) {
        RandAugmentOp[] chosen = new RandAugmentOp[n];
        for (int k = 0; k < n; k++) {
            chosen[k] = OPS[rng.nextInt(OPS.length)];
        }
        List<Sampled> out = new ArrayList<>(n);
        for (RandAugmentOp op : chosen) {
            double v = op.magnitude(m);
            if (relative && op.inPixels()) {
                v *= (op == RandAugmentOp.TRANSLATE_Y_ABS ? height : width) / (double) REFERENCE_SIZE;
            }
            double cx = Double.NaN;
            double cy = Double.NaN;
            if (op.signed() && rng.nextDouble() > 0.5) {
                v = -v;
            }
            if (op == RandAugmentOp.CUTOUT_ABS) {
                cx = numpyUniformLow(width, rng);
                cy = numpyUniformLow(height, rng);
            }
            out.add(new Sampled(op, v, cx, cy));
        }
        return out;
    }

    @Override
    public Image apply(Image in, SplittableRandom rng) {
        Image out = in;
        for (Sampled s : sample(in.height(), in.width(), rng)) {
            out = s.toOp().apply(out);
        }
        return out;
    }

    /** {@code np.random.uniform(low)} with the default high of 1.0: {@code low + (1 - low) * u}. */
    private static double numpyUniformLow(double low, SplittableRandom rng) {
        return low + (1.0 - low) * rng.nextDouble();
    }
}
